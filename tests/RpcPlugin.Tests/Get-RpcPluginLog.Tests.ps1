BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Get-RpcPluginLog' {
    BeforeAll {
        $session = Start-TestPlugin -Mode 'spawn-child' -Parameters @{ Name = 'logger' }
        # The plugin logs its grandchild on stderr before its handshake on stdout: two pipes, read independently.
        Wait-Until { Get-RpcPluginLog $session | Where-Object { $_.Fields.Contains('grandchild_pid') } } | Should -BeTrue
    }

    AfterAll {
        Get-RpcPlugin | Stop-RpcPlugin
        Test-ProcessGone $session.ProcessId | Should -BeTrue
    }

    It 'parses the plugin''s hclog JSON into level, message, module and fields' {
        $entry = Get-RpcPluginLog $session | Where-Object { $_.Fields.Contains('grandchild_pid') } | Select-Object -First 1

        $entry | Should -BeOfType ([RpcPlugin.RpcPluginLogEntry])
        $entry.Module | Should -Not -BeNullOrEmpty
        $entry.Source | Should -Be 'Stderr'
        $entry.SessionName | Should -Be 'logger'
        [int]$entry.Fields['grandchild_pid'] | Should -BeGreaterThan 0
    }

    It 'uses the only session when none is named' {
        (Get-RpcPluginLog).Count | Should -Be (Get-RpcPluginLog -SessionName logger).Count
    }

    It 'returns the last entries with -Tail' {
        $all = Get-RpcPluginLog $session
        $tail = Get-RpcPluginLog $session -Tail 2

        $tail.Count | Should -Be 2
        $tail[1].Line | Should -Be $all[-1].Line
    }

    It 'filters by minimum level' {
        $info = Get-RpcPluginLog $session -Level Info
        $info | Should -Not -BeNullOrEmpty
        $info | ForEach-Object { $_.Level | Should -BeIn @('Info', 'Warn', 'Error') }
    }

    It 'follows new entries with -Wait until the plugin exits' {
        $runspace = New-TestRunspace
        try {
            $ps = [powershell]::Create($runspace)
            $null = $ps.AddScript('$s = Start-RpcPlugin $TestPlugin -Name followed -ProtocolVersion 2; $s.ProcessId; Get-RpcPluginLog $s -Wait | ForEach-Object Message')
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $output)
            Wait-Until { $output.Count -ge 2 } | Should -BeTrue
            $pluginPid = [int]$output[0]

            Stop-Process -Id $pluginPid -Force
            $async.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(15)) | Should -BeTrue
            $ps.EndInvoke($async)
            $output.Count | Should -BeGreaterThan 1
        } finally {
            Invoke-InRunspace $runspace 'Get-RpcPlugin | Stop-RpcPlugin'
            $runspace.Dispose()
        }
    }

    It 'stops following on Ctrl+C' {
        $runspace = New-TestRunspace
        try {
            $ps = [powershell]::Create($runspace)
            $null = $ps.AddScript('$s = Start-RpcPlugin $TestPlugin -Name ctrlc -ProtocolVersion 2; ''started''; Get-RpcPluginLog $s -Wait')
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $output)
            Wait-Until { $output.Count -ge 2 } | Should -BeTrue

            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 2
            (Invoke-InRunspace $runspace '(Get-RpcPlugin ctrlc).State') | Should -Be 'Ready'
        } finally {
            Invoke-InRunspace $runspace 'Get-RpcPlugin | Stop-RpcPlugin'
            $runspace.Dispose()
        }
    }
}

Describe 'Plugin log lines show while a call runs, whatever its shape' {
    BeforeAll {
        $talker = Start-TestPlugin -Parameters @{ Name = 'talker' }
    }

    AfterAll {
        $talker | Stop-RpcPlugin
        Wait-ProcessGone $talker.ProcessId | Should -BeTrue
    }

    It 'shows a warning the plugin logs during a unary call' {
        $output = Invoke-RpcPluginMethod $talker testplugin.Echo/Log @{ level = 'warn'; message = 'disk nearly full'; reply_after_ms = 500 } 3>&1
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warnings.Message | Should -Contain '[talker] disk nearly full'
    }
}
