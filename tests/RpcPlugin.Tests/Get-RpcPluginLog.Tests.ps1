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

Describe 'Plugin log lines a slow pipeline cannot keep up with give way, and it says so' {
    It 'keeps Get-RpcPluginLog -Wait''s memory bounded during a flood, dropping the oldest pending entries' {
        $flood = Start-TestPlugin -Mode 'flood:10' -Parameters @{ Name = 'flooder' }
        try {
            $baseline = [GC]::GetTotalMemory($true)
            $state = @{ Seen = 0; Growth = $null }
            # A consumer slower than the plugin's reader: what it has not taken yet waits in the command's queue.
            Get-RpcPluginLog $flood -Wait -WarningVariable dropped -WarningAction SilentlyContinue | ForEach-Object {
                $state.Seen++
                if ($null -ne $state.Growth) { return }
                if ($state.Seen % 50 -eq 0) { Start-Sleep -Milliseconds 2 }
                if ($state.Seen % 500 -eq 0 -and (Get-RpcPluginLog $flood -Tail 5 | Where-Object Message -EQ 'flood over')) {
                    # The whole flood has been read: whatever still waits for this consumer is held now.
                    $state.Growth = [GC]::GetTotalMemory($true) - $baseline
                    $flood | Stop-RpcPlugin
                }
            }
            # 200,000 lines; the log itself keeps 10,000 of them. Unbounded, the waiting entries took over 100 MB.
            $state.Growth | Should -Not -BeNullOrEmpty
            $state.Growth | Should -BeLessThan 40MB
            $dropped.Message | Should -Not -BeNullOrEmpty
            $dropped[0].Message | Should -Match '^\d+ plugin log (entries were|entry was) dropped: the pipeline could not keep up'
        } finally {
            $flood | Stop-RpcPlugin
            Wait-ProcessGone $flood.ProcessId | Should -BeTrue
        }
    }

    It 'keeps a call''s Verbose log lines bounded the same way' {
        $talker = Start-TestPlugin -Parameters @{ Name = 'printer' }
        try {
            $null = Invoke-RpcPluginMethod $talker testplugin.Echo/Unary @{}
            $text = -join (1..20000 | ForEach-Object { "printed line $_`n" })
            $records = @{ Verbose = 0; Dropped = @() }
            Invoke-RpcPluginMethod $talker testplugin.Echo/Print @{ text = $text; channel = 'STDERR' } -Verbose 4>&1 3>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '`[printer`] printed line*') {
                    $records.Verbose++
                    if ($records.Verbose % 10 -eq 0) { Start-Sleep -Milliseconds 2 }
                } elseif ($_ -is [System.Management.Automation.InformationalRecord] -and $_.Message -like '*dropped*') {
                    $records.Dropped += $_
                }
            }
            # The lines would have been Verbose, so the report is Verbose too: nobody is warned of lines they did not ask for.
            $records.Dropped | Should -Not -BeNullOrEmpty
            $records.Dropped | ForEach-Object { $_ | Should -BeOfType ([System.Management.Automation.VerboseRecord]) }
            $records.Dropped = $records.Dropped.Message
            $records.Dropped[0] | Should -Match '^\d+ plugin log (entries were|entry was) dropped: the pipeline could not keep up'
            $records.Verbose | Should -BeLessThan 20000
        } finally {
            $talker | Stop-RpcPlugin
            Wait-ProcessGone $talker.ProcessId | Should -BeTrue
        }
    }
}
