BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Stop-RpcPlugin' {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin -Force
    }

    It 'stops every session piped from Get-RpcPlugin' {
        $sessions = 1..3 | ForEach-Object { Start-TestPlugin -Parameters @{ Name = "p$_" } }

        Get-RpcPlugin | Stop-RpcPlugin

        Get-RpcPlugin | Should -BeNullOrEmpty
        foreach ($s in $sessions) {
            $s.State | Should -Be 'Exited'
            Test-ProcessGone $s.ProcessId | Should -BeTrue
        }
    }

    It 'stops sessions by -Name with wildcards and by -Id' {
        $a = Start-TestPlugin -Parameters @{ Name = 'alpha' }
        $b = Start-TestPlugin -Parameters @{ Name = 'beta' }
        $c = Start-TestPlugin -Parameters @{ Name = 'gamma' }

        Stop-RpcPlugin -Name 'al*'
        Stop-RpcPlugin -Id $b.Id

        (Get-RpcPlugin).Name | Should -Be 'gamma'
        Test-ProcessGone $a.ProcessId | Should -BeTrue
        Test-ProcessGone $b.ProcessId | Should -BeTrue
        $c.State | Should -Be 'Ready'
    }

    It 'reports a name that matches nothing as SessionNotFound' {
        { Stop-RpcPlugin -Name 'nothing-here' -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.SessionNotFound,*'
    }

    It 'returns the stopped session with -PassThru' {
        $session = Start-TestPlugin

        $stopped = $session | Stop-RpcPlugin -PassThru

        $stopped.Id | Should -Be $session.Id
        $stopped.State | Should -Be 'Exited'
        $stopped.ExitCode | Should -Be 0
    }

    It 'stops nothing with -WhatIf' {
        $session = Start-TestPlugin

        $session | Stop-RpcPlugin -WhatIf

        $session.State | Should -Be 'Ready'
        (Get-RpcPlugin).Id | Should -Be $session.Id
    }

    It 'kills a plugin that ignores <Mode>' -ForEach @(
        @{ Mode = 'ignore-shutdown' }
        @{ Mode = 'ignore-shutdown,ignore-sigterm' }
    ) {
        $session = Start-TestPlugin -Mode $Mode

        $session | Stop-RpcPlugin -Timeout 0.3

        Test-ProcessGone $session.ProcessId | Should -BeTrue
        $session.State | Should -Be 'Exited'
    }

    It 'kills at once with -Force' {
        $session = Start-TestPlugin -Mode 'ignore-shutdown,ignore-sigterm'
        $watch = [Diagnostics.Stopwatch]::StartNew()

        $session | Stop-RpcPlugin -Force

        $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
        $session.ExitCode | Should -Be 137
        Test-ProcessGone $session.ProcessId | Should -BeTrue
    }

    It 'leaves no grandchild of a plugin that started one' {
        $session = Start-TestPlugin -Mode 'spawn-child'
        $entry = $null
        Wait-Until { $script:entry = Get-RpcPluginLog $session | Where-Object { $_.Fields.Contains('grandchild_pid') } | Select-Object -First 1; $script:entry } |
            Should -BeTrue
        $grandchild = [int]$script:entry.Fields['grandchild_pid']
        Test-ProcessGone $grandchild | Should -BeFalse

        $session | Stop-RpcPlugin

        Wait-ProcessGone $grandchild -Seconds 5 | Should -BeTrue
    }
}

Describe 'Stop-RpcPlugin beside a stop under way' {
    BeforeEach {
        $session = Start-TestPlugin -Mode 'ignore-shutdown,ignore-sigterm'
        $runspace = New-TestRunspace
        $first = [powershell]::Create($runspace)
        $null = $first.AddCommand('Stop-RpcPlugin').AddParameter('Session', $session).AddParameter('Timeout', 20)
        $firstAsync = $first.BeginInvoke()
        Wait-Until { $session.State -eq 'Stopping' } | Should -BeTrue
    }

    AfterEach {
        $session | Stop-RpcPlugin -Force
        $null = $first.EndInvoke($firstAsync)
        $first.Dispose()
        $runspace.Dispose()
    }

    It 'kills at once with -Force, not at the first stop''s deadline' {
        $watch = [Diagnostics.Stopwatch]::StartNew()

        $session | Stop-RpcPlugin -Force

        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        Test-ProcessGone $session.ProcessId | Should -BeTrue
        $session.State | Should -Be 'Exited'
    }

    It 'returns at once on Ctrl+C and leaves the first stop going' {
        $second = [powershell]::Create()
        try {
            $null = $second.AddCommand('Stop-RpcPlugin').AddParameter('Session', $session)
            $null = $second.BeginInvoke()
            Start-Sleep -Milliseconds 300

            $watch = [Diagnostics.Stopwatch]::StartNew()
            $second.Stop()

            $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
            $firstAsync.IsCompleted | Should -BeFalse
            $session.State | Should -Be 'Stopping'
        } finally { $second.Dispose() }
    }
}

Describe 'Stop-RpcPlugin -Force of an attached session' {
    It 'ends the plugin of a session that an earlier stop disconnected' {
        $owner = Start-TestPlugin -Parameters @{ Name = 'owner'; NoAutoMtls = $true }
        try {
            $config = @{ Protocol = 'grpc'; ProtocolVersion = 2; Pid = $owner.ProcessId; Test = $true; Addr = @{ Network = $owner.Network; String = $owner.Address } } | ConvertTo-Json
            $attached = Connect-RpcPlugin $config -Name 'attached'
            $attached | Stop-RpcPlugin
            $attached.State | Should -Be 'Disconnected'

            $attached | Stop-RpcPlugin -Force

            Wait-ProcessGone $owner.ProcessId | Should -BeTrue
            $attached.State | Should -Be 'Exited'
        } finally { $owner | Stop-RpcPlugin -Force }
    }

    It 'says why it cannot end a plugin it knows no process id of' {
        $owner = Start-TestPlugin -Parameters @{ Name = 'owner'; NoAutoMtls = $true }
        try {
            $attached = Connect-RpcPlugin -Address "unix://$($owner.Address)" -Name 'by-address'

            $attached | Stop-RpcPlugin -Force -WarningVariable warnings -WarningAction SilentlyContinue

            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -BeLike '*knows no process id*keeps running*'
            $attached.State | Should -Be 'Disconnected'
            $owner.State | Should -Be 'Ready'
        } finally { $owner | Stop-RpcPlugin -Force }
    }
}
