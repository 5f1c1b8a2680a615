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
