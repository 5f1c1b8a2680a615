# The start, memory, soak and scale rows of Measure-Sessions.ps1 (the call rows stay there). Dot-sourced by it;
# Invoke-LifecycleRows runs inside its try block, with its script variables.

function Invoke-LifecycleRows {
    Invoke-Row 'start' {
        $pem = New-ClientCertificatePem
        $result = [ordered]@{}

        # TestPlugin: Start-RpcPlugin (AutoMTLS) against the plugin's own Process.Start-to-handshake-line time.
        $rawEnv = @{ PLUGIN_MAGIC_COOKIE = 'test_cookie_value'; PLUGIN_PROTOCOL_VERSIONS = '1,2'; PLUGIN_CLIENT_CERT = $pem }
        $oursRun = {
            param([string] $Path, [hashtable] $Extra)
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            $s = Start-RpcPlugin $Path -Name bench-start @Extra
            $ms = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds
            Add-Tracked $s.ProcessId 'bench-start'
            Stop-Session $s
            $ms
        }
        $tpExtra = @{ ProtocolVersion = 1, 2 }
        $null = & $oursRun $TestPlugin $tpExtra; $null = Measure-RawHandshake $TestPlugin $rawEnv   # warm
        $ours = @(); $raw = @()
        for ($r = 0; $r -lt $size.StartReps; $r++) {
            if ($r % 2 -eq 0) { $ours += & $oursRun $TestPlugin $tpExtra; $raw += (Measure-RawHandshake $TestPlugin $rawEnv).Milliseconds }
            else { $raw += (Measure-RawHandshake $TestPlugin $rawEnv).Milliseconds; $ours += & $oursRun $TestPlugin $tpExtra }
        }
        Write-Step ("TestPlugin: Start-RpcPlugin {0:N1} ms, raw handshake {1:N1} ms" -f (Get-SampleStats $ours).median, (Get-SampleStats $raw).median)

        # Where the difference goes, plaintext (no certificates either side): the plugin's raw start to its
        # handshake line and on to the answer of a first call from a new compiled-stub channel, against
        # Start-RpcPlugin -NoAutoMtls.
        $null = Get-StubType (Get-CallInvoker $script:main)
        $plainEnv = @{ PLUGIN_MAGIC_COOKIE = 'test_cookie_value'; PLUGIN_PROTOCOL_VERSIONS = '1,2' }
        $plainExtra = @{ ProtocolVersion = 1, 2; NoAutoMtls = $true }
        $null = Measure-RawHandshake $TestPlugin $plainEnv -FirstCall
        $pHandshake = @(); $pFirst = @(); $pOurs = @()
        for ($r = 0; $r -lt [Math]::Max(2, [int]($size.StartReps / 2)); $r++) {
            $m = Measure-RawHandshake $TestPlugin $plainEnv -FirstCall
            $pHandshake += $m.Milliseconds; $pFirst += $m.FirstCallMilliseconds
            $pOurs += & $oursRun $TestPlugin $plainExtra
        }
        $result['start-testplugin'] = [ordered]@{
            diagnostics = [ordered]@{
                'plaintext: raw start to handshake line (ms)' = Get-SampleStats $pHandshake
                'plaintext: raw start to the first Unary reply on a new stub channel (ms)' = Get-SampleStats $pFirst
                'plaintext: Start-RpcPlugin -NoAutoMtls (ms)' = Get-SampleStats $pOurs
            }
            ours = New-Sample 'Start-RpcPlugin TestPlugin until Ready (AutoMTLS: client cert, launch, handshake, TLS connect, health check), warm' $ours $ours.Count
            against = New-Sample 'raw Process.Start of TestPlugin to its handshake line (same env incl. PLUGIN_CLIENT_CERT, so it makes its AutoMTLS cert too)' $raw $raw.Count
            unit = 'ms'
        }

        if ($script:peersSkip) {
            $result['start-go'] = Skip-Row $script:peersSkip
            $result['start-go-host'] = Skip-Row $script:peersSkip
        } else {
            $goExtra = @{ MagicCookieKey = 'ECHO_PLUGIN'; MagicCookieValue = 'go-echo'; ProtocolVersion = 2 }
            $goEnv = @{ ECHO_PLUGIN = 'go-echo'; PLUGIN_PROTOCOL_VERSIONS = '2'; PLUGIN_CLIENT_CERT = $pem }
            $null = & $oursRun $script:goPlugin $goExtra; $null = Measure-RawHandshake $script:goPlugin $goEnv; $null = Invoke-GoHost @('call', 'echo', $script:goPlugin, '0')
            $gOurs = @(); $gRaw = @(); $gHost = @()
            for ($r = 0; $r -lt $size.StartReps; $r++) {
                $steps = @(
                    { $script:gOursTmp = & $oursRun $script:goPlugin $goExtra },
                    { $script:gRawTmp = (Measure-RawHandshake $script:goPlugin $goEnv).Milliseconds },
                    { $script:gHostTmp = [double](Invoke-GoHost @('call', 'echo', $script:goPlugin, '0')).start_ms })
                # Rotate the order each repetition.
                for ($k = 0; $k -lt 3; $k++) { & $steps[($r + $k) % 3] }
                $gOurs += $script:gOursTmp; $gRaw += $script:gRawTmp; $gHost += $script:gHostTmp
            }
            Write-Step ("go-echo-plugin: Start-RpcPlugin {0:N1} ms, raw handshake {1:N1} ms, go-host start {2:N1} ms" -f (Get-SampleStats $gOurs).median, (Get-SampleStats $gRaw).median, (Get-SampleStats $gHost).median)
            $oursGo = New-Sample 'Start-RpcPlugin go-echo-plugin until Ready (AutoMTLS), warm' $gOurs $gOurs.Count
            $result['start-go'] = [ordered]@{
                ours = $oursGo
                against = New-Sample 'raw Process.Start of go-echo-plugin to its handshake line (PLUGIN_CLIENT_CERT set: AutoMTLS)' $gRaw $gRaw.Count
                unit = 'ms'
            }
            $result['start-go-host'] = [ordered]@{
                ours = $oursGo
                against = New-Sample "go-host start_ms: go-plugin's client NewClient+Client()+Dispense+Ping (AutoMTLS)" $gHost $gHost.Count
                unit = 'ms'
            }
        }
        $result
    }

    Invoke-Row 'memory' {
        $n = $size.MemorySessions
        $heap0 = Get-ManagedHeap; $private0 = Get-PrivateBytes; $fds0 = Get-OpenHandleCount
        $sessions = [Collections.Generic.List[object]]::new()
        try {
            for ($i = 1; $i -le $n; $i++) { $sessions.Add((Start-Session $TestPlugin "bench-mem-$i" @{ ProtocolVersion = 1, 2 })) }
            # Idle = started and its descriptors loaded (Start-RpcPlugin prefetches them in the background).
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (($sessions | Where-Object { $_.Services.Count -eq 0 }) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Start-Sleep -Milliseconds 500
            $heap1 = Get-ManagedHeap; $private1 = Get-PrivateBytes; $fds1 = Get-OpenHandleCount
        } finally {
            $sessions | Stop-RpcPlugin -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $sessions.Clear(); $sessions = $null   # what stays after this is the module's, not ours
        }
        Start-Sleep -Milliseconds 500
        $heap2 = Get-ManagedHeap; $private2 = Get-PrivateBytes
        $managed = ($heap1 - $heap0) / $n / 1MB
        $privateMb = ($private1 - $private0) / $n / 1MB
        Write-Step ("{0} sessions: {1:N3} MB managed, {2:N3} MB private bytes per session" -f $n, $managed, $privateMb)
        $diag = [ordered]@{
            'managed heap before / with sessions / after stopping (MB)' = '{0:N1} / {1:N1} / {2:N1}' -f ($heap0 / 1MB), ($heap1 / 1MB), ($heap2 / 1MB)
            'private bytes before / with sessions / after stopping (MB)' = '{0:N1} / {1:N1} / {2:N1}' -f ($private0 / 1MB), ($private1 / 1MB), ($private2 / 1MB)
            'open fds per session' = ($fds1 - $fds0) / $n
        }
        @{
            'memory-managed' = [ordered]@{ ours = New-Sample "managed heap (GC.GetTotalMemory after full GC) per idle session, $n sessions" @($managed) $n; unit = 'MB/session'; diagnostics = $diag }
            'memory-private' = [ordered]@{ ours = New-Sample "private bytes (smaps_rollup Private_*) per idle session, $n sessions" @($privateMb) $n; unit = 'MB/session' }
        }
    }

    Invoke-Row 'soak' {
        $n = $size.SoakCalls
        $null = Measure-OursUnary $script:main 1000
        $heap0 = Get-ManagedHeap; $fds0 = Get-OpenHandleCount; $threads0 = [Diagnostics.Process]::GetCurrentProcess().Threads.Count
        $checkpoints = @()
        $chunk = [int][Math]::Ceiling($n / 4); $done = 0; $times = @()
        while ($done -lt $n) {
            $count = [Math]::Min($chunk, $n - $done)
            $times += Measure-OursUnary $script:main $count
            $done += $count
            $checkpoints += '{0}: {1:N2} MB, {2} fds' -f $done, ((Get-ManagedHeap) / 1MB), (Get-OpenHandleCount)
            Write-Step ("{0}/{1} calls, {2:N0} µs/call; {3}" -f $done, $n, $times[-1], $checkpoints[-1])
        }
        $heap1 = Get-ManagedHeap; $fds1 = Get-OpenHandleCount; $threads1 = [Diagnostics.Process]::GetCurrentProcess().Threads.Count
        $growthMb = ($heap1 - $heap0) / 1MB
        Write-Step ("{0} calls: heap {1:N2} -> {2:N2} MB, fds {3} -> {4}" -f $n, ($heap0 / 1MB), ($heap1 / 1MB), $fds0, $fds1)
        $diag = [ordered]@{
            'heap after GC at each quarter' = $checkpoints -join '; '
            'bytes of heap growth per call' = [Math]::Round(($heap1 - $heap0) / $n, 3)
            'threads before / after' = "$threads0 / $threads1"
            'µs/call over the soak (per quarter)' = ($times | ForEach-Object { '{0:N1}' -f $_ }) -join ', '
        }
        @{
            'soak-heap' = [ordered]@{ ours = New-Sample "managed heap growth after GC over $n unary calls (before: $('{0:N2}' -f ($heap0 / 1MB)) MB)" @($growthMb) $n; unit = 'MB'; diagnostics = $diag }
            'soak-handles' = [ordered]@{ ours = New-Sample "open file descriptors growth over $n unary calls (before: $fds0)" @([double]($fds1 - $fds0)) $n; unit = 'fds' }
        }
    }

    Invoke-Row 'scale' {
        $runspaces = $size.ScaleRunspaces; $plugins = $size.ScalePlugins; $calls = $size.ScaleCalls
        $shared = $script:main
        $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
        $results = 1..$runspaces | ForEach-Object -ThrottleLimit $runspaces -Parallel {
            $ErrorActionPreference = 'Stop'
            $r = $_; $errors = [Collections.Generic.List[string]]::new(); $pids = @(); $made = 0; $step = 'import'; $crossTalk = 0
            $sessions = @()
            try {
                Import-Module $using:ModulePath
                $step = 'start'
                foreach ($p in 1..$using:plugins) { $sessions += Start-RpcPlugin $using:TestPlugin -Name "r$r-p$p" -ProtocolVersion 1, 2 -StartTimeout 60 }
                $step = 'calls'
                $pids = @($sessions.ProcessId)
                foreach ($k in 1..$using:calls) {
                    foreach ($s in $sessions) {
                        $msg = "$($s.Name)-c$k"
                        $reply = Invoke-RpcPluginMethod $s testplugin.Echo/Unary @{ message = $msg }
                        $made++
                        if ($reply.message -ne $msg -or $reply.pid -ne $s.ProcessId) { $crossTalk++; $errors.Add("cross-talk: $msg came back as '$($reply.message)' from pid $($reply.pid), expected pid $($s.ProcessId)") }
                    }
                    # The parent's session, shared by every runspace: concurrent calls on one connection.
                    $msg = "r$r-shared-c$k"
                    $reply = Invoke-RpcPluginMethod ($using:shared) testplugin.Echo/Unary @{ message = $msg }
                    $made++
                    if ($reply.message -ne $msg) { $crossTalk++; $errors.Add("cross-talk: shared session: $msg came back as '$($reply.message)'") }
                }
                $mine = @(Get-RpcPlugin)
                $foreign = @($mine | Where-Object { $_.Name -notlike "r$r-*" })
                if ($mine.Count -ne $using:plugins -or $foreign.Count -gt 0) { $crossTalk++; $errors.Add("cross-talk: Get-RpcPlugin in runspace $r shows $($mine.Count) sessions ($($mine.Name -join ', '))") }
            } catch {
                $errors.Add("runspace ${r}, $step (after $made calls, $($sessions.Count) sessions started): [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)")
            } finally {
                $sessions | Stop-RpcPlugin -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            }
            [pscustomobject]@{ Runspace = $r; Pids = $pids; Calls = $made; CrossTalk = $crossTalk; Errors = $errors.ToArray() }
        }
        $seconds = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalSeconds
        foreach ($res in $results) { foreach ($id in $res.Pids) { Add-Tracked $id "scale r$($res.Runspace)" } }
        $errors = @($results | ForEach-Object { $_.Errors })
        $callsMade = ($results | Measure-Object Calls -Sum).Sum
        $crossTalk = ($results | Measure-Object CrossTalk -Sum).Sum
        $pass = $errors.Count -eq 0 -and @($results).Count -eq $runspaces -and $callsMade -eq $runspaces * $calls * ($plugins + 1)
        Write-Step ("{0} runspaces x {1} plugins: {2:N1} s, {3} calls, {4}" -f $runspaces, $plugins, $seconds, $callsMade, $(if ($pass) { 'pass' } else { 'FAIL' }))
        @{ scale = [ordered]@{
            ours = New-Sample "ForEach-Object -Parallel: $runspaces runspaces x $plugins own TestPlugins each (+ 1 shared session), $calls calls per session: start (-StartTimeout 60), call, check, stop" @($seconds) $callsMade
            unit = 's'
            pass = $pass
            diagnostics = [ordered]@{
                'cross-talk (replies or sessions seen by the wrong runspace)' = $crossTalk
                'other failures' = $errors.Count - $crossTalk
                errors = ($errors | Select-Object -First 10) -join ' | '
                sessions = $runspaces * $plugins
                'calls made / planned' = "$callsMade / $($runspaces * $calls * ($plugins + 1))"
            }
        } }
    }
}
