BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Faults during calls' {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin -Force
    }

    It 'ends a stream cut by a crashing plugin with PluginExited, then fails fast with SessionClosed' {
        $session = Start-TestPlugin -Mode 'crash-after:3'
        $errors = @()
        $replies = @(Invoke-RpcPluginMethod $session testplugin.Echo/ServerStream @{ count = 10; interval_ms = 20 } -ErrorVariable errors -ErrorAction SilentlyContinue)

        $replies.Count | Should -BeLessThan 10
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.PluginExited,*'
        $errors[0].Exception.ExitCode | Should -Be 2
        $errors[0].Exception.Message | Should -BeLike '*panic: crash-after*'
        $session.State | Should -Be 'Exited'
        $session.ExitCode | Should -Be 2

        $watch = [Diagnostics.Stopwatch]::StartNew()
        { Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{} -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.SessionClosed,*'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 1
    }

    It 'warns once when a plugin exited by itself between calls' {
        $session = Start-TestPlugin
        Stop-Process -Id $session.ProcessId -Force
        Wait-Until { $session.State -eq 'Exited' } | Should -BeTrue

        $first = Test-RpcPlugin $session 3>&1
        $second = Test-RpcPlugin $session 3>&1

        ($first | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Message | Should -BeLike "*exited by itself*exit code 137*"
        $second | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | Should -BeNullOrEmpty
        $session.ExitCode | Should -Be 137
    }

    It 'gives a clear decode error for a response that does not match the descriptor, and stays usable' {
        $session = Start-TestPlugin -Mode 'bad-response'

        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'x' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidResponse,*' -PassThru
        $err.Exception.Message | Should -BeLike '*testplugin.Echo/Unary*'
        (Invoke-RpcPluginMethod $session testplugin.Mirror/Unary @{ message = 'abc' }).message | Should -Be 'cba'
        $session.State | Should -Be 'Ready'
    }

    It 'keeps working and bounded while the plugin floods stdout and stderr with 100 MB each' {
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $before = [GC]::GetTotalMemory($true)
        $session = Start-TestPlugin -Mode 'flood:100'

        $replies = 1..50 | ForEach-Object { @{ message = "during flood $_" } } | Invoke-RpcPluginMethod $session testplugin.Echo/Unary
        # Once both streams are written the plugin ends each with 'flood over': when the log shows it from both,
        # the whole flood has been read. The whole log, not its tail: the two streams are read side by side, so up
        # to a pipe's worth of one stream's flood can be logged after the other's last line.
        Wait-Until {
            @(Get-RpcPluginLog $session | Where-Object Message -EQ 'flood over' | Select-Object -ExpandProperty Source -Unique).Count -eq 2
        } -Seconds 120 | Should -BeTrue

        $replies.Count | Should -Be 50
        (Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'after' }).message | Should -Be 'after'
        @(Get-RpcPluginLog $session).Count | Should -BeLessOrEqual 10000
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        ([GC]::GetTotalMemory($true) - $before) / 1MB | Should -BeLessThan 64
    }

    It 'moves a 64 MB message each way' {
        $session = Start-TestPlugin
        $payload = [byte[]]::new(64MB)
        [Random]::new(7).NextBytes($payload)

        $echo = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ f_bytes = $payload }

        $echo.f_bytes.Length | Should -Be $payload.Length
        [Linq.Enumerable]::SequenceEqual($echo.f_bytes, $payload) | Should -BeTrue
    }

    It 'refuses a message over -MaxMessageSize with a clear error' {
        $session = Start-TestPlugin -Parameters @{ MaxMessageSize = 1MB }

        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ f_bytes = [byte[]]::new(2MB) } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.Rpc.ResourceExhausted,*' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*-MaxMessageSize*'
        (Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'small' }).message | Should -Be 'small'
    }

    It 'keeps -MaxMessageSize to the user''s messages: descriptors larger than the limit still load' {
        # The test plugin's reflection answer (testplugin.proto with its imports) is several times 4 KB.
        $session = Start-TestPlugin -Parameters @{ MaxMessageSize = 4KB }

        (Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'small' }).message | Should -Be 'small'
        Get-RpcPluginMessageType -Session $session -Name testplugin.AllTypes | Should -Not -BeNullOrEmpty
        $session.Services | Should -Contain 'testplugin.Echo'
        Test-RpcPlugin -Session $session | Should -BeTrue
        { Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'x' * 8KB } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.Rpc.ResourceExhausted,*'
    }
}

Describe 'Concurrency and scale' {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin -Force
    }

    It 'runs 8 runspaces with 2 plugins each, 50 calls apiece, without cross-talk' {
        $module = $env:RPCPLUGIN_MODULE
        $plugin = $TestPlugin
        $results = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:module
            $runspace = $_
            $sessions = 1..2 | ForEach-Object { Start-RpcPlugin $using:plugin -Name "r$runspace-p$_" -ProtocolVersion 2 }
            $wrong = 0
            foreach ($i in 1..50) {
                foreach ($s in $sessions) {
                    $reply = Invoke-RpcPluginMethod $s testplugin.Echo/Unary @{ message = "$($s.Name)-$i" }
                    if ($reply.message -ne "$($s.Name)-$i" -or $reply.pid -ne $s.ProcessId) { $wrong++ }
                }
            }
            $pids = $sessions.ProcessId
            $others = @(Get-RpcPlugin | Where-Object Name -NotLike "r$runspace-*").Count
            Get-RpcPlugin | Stop-RpcPlugin
            [pscustomobject]@{ Wrong = $wrong; Pids = $pids; Others = $others }
        }

        $results.Count | Should -Be 8
        ($results.Wrong | Measure-Object -Sum).Sum | Should -Be 0
        ($results.Others | Measure-Object -Sum).Sum | Should -Be 0
        foreach ($id in $results.Pids) { Wait-ProcessGone $id | Should -BeTrue }
    }

    It 'serves one session from 8 runspaces at once' {
        $session = Start-TestPlugin -Parameters @{ Name = 'shared' }
        $module = $env:RPCPLUGIN_MODULE
        $counts = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:module
            $s = $using:session
            @(1..100 | ForEach-Object { @{ message = "t$_" } } | Invoke-RpcPluginMethod $s testplugin.Echo/Unary).Count
        }

        ($counts | Measure-Object -Sum).Sum | Should -Be 800
    }

    It 'ends calls in flight with SessionClosed when the session is stopped' {
        $session = Start-TestPlugin -Parameters @{ Name = 'stopped-under-load' }
        $module = $env:RPCPLUGIN_MODULE
        $jobs = 1..4 | ForEach-Object {
            Start-ThreadJob {
                Import-Module $using:module
                try { Invoke-RpcPluginMethod $using:session testplugin.Echo/Sleep @{ milliseconds = 20000 } -ErrorAction Stop; 'no error' }
                catch { $_.FullyQualifiedErrorId }
            }
        }
        # The plugin logs 'sleeping' as each call starts: stop once all four are under way.
        Wait-Until { @(Get-RpcPluginLog $session | Where-Object Message -EQ 'sleeping').Count -ge 4 } -Seconds 60 | Should -BeTrue

        $session | Stop-RpcPlugin
        $done = $jobs | Wait-Job -Timeout 15

        $done.Count | Should -Be 4
        $outcomes = $jobs | Receive-Job
        $jobs | Remove-Job -Force
        $outcomes.Count | Should -Be 4
        $outcomes | ForEach-Object { $_ | Should -BeLike 'RpcPlugin.SessionClosed,*' }
    }

    It 'holds 20 sessions at once and stops them all' {
        $sessions = 1..20 | ForEach-Object { Start-TestPlugin -Parameters @{ Name = "many$_" } }
        $sessions | ForEach-Object { Test-RpcPlugin $_ } | Where-Object { -not $_ } | Should -BeNullOrEmpty

        Get-RpcPlugin | Stop-RpcPlugin

        foreach ($s in $sessions) { Test-ProcessGone $s.ProcessId | Should -BeTrue }
    }

    It 'does not grow heap or handles over a 10,000-call soak' {
        $session = Start-TestPlugin
        $call = { 1..2000 | ForEach-Object { @{ message = 'soak' } } | Invoke-RpcPluginMethod $session testplugin.Echo/Unary | Out-Null }
        & $call
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $heap = [GC]::GetTotalMemory($true)
        $handles = @(Get-ChildItem /proc/self/fd).Count

        1..4 | ForEach-Object { & $call }

        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        ([GC]::GetTotalMemory($true) - $heap) / 1MB | Should -BeLessThan 8
        @(Get-ChildItem /proc/self/fd).Count - $handles | Should -BeLessThan 20
    }
}

Describe 'Security' {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin -Force
    }

    It 'sends the plugin its AutoMTLS certificate but never the key' {
        $session = Start-TestPlugin
        $reply = Invoke-RpcPluginMethod $session testplugin.Echo/GetInfo

        $reply.environment['PLUGIN_CLIENT_CERT'] | Should -BeLike '-----BEGIN CERTIFICATE-----*'
        ($reply.environment.Values -join "`n") | Should -Not -BeLike '*PRIVATE KEY*'
    }

    It 'puts the socket in a private (0700) directory and removes it at stop' {
        $session = Start-TestPlugin
        $directory = Split-Path $session.Address

        (Get-Item $directory).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        $session | Stop-RpcPlugin
        Test-Path $directory | Should -BeFalse
    }

    It 'warns when attaching to a socket that belongs to another user' {
        if ((id -u) -ne '0') {
            Set-ItResult -Skipped -Because 'changing a socket''s owner needs root'
            return
        }
        $owner = Start-TestPlugin -Parameters @{ NoAutoMtls = $true }
        & chown 65534 $owner.Address

        $output = Connect-RpcPlugin -Address "unix://$($owner.Address)" 3>&1
        ($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Message | Should -BeLike '*belongs to user id 65534*'
    }

    It 'passes arguments with spaces, quotes and shell syntax through unchanged' {
        $arguments = 'a b', 'quote"d', "single'quoted", 'semi;colon', '$(whoami)', '`backtick`', ''
        $session = Start-TestPlugin -Parameters @{ ArgumentList = $arguments }

        (Invoke-RpcPluginMethod $session testplugin.Echo/GetInfo).args | Should -Be $arguments
    }
}
