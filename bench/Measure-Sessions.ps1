#Requires -Version 7.4
<#
.SYNOPSIS
    The in-process rows of the benchmarks, run by Invoke-Benchmarks.ps1 in a fresh pwsh (so the module, its load
    context and the "first start in the process" are this run's own). Not meant to be called directly.

.DESCRIPTION
    Measures, each pair side by side and interleaved (ours, against, against, ours, ...), the rows unary,
    process, server-stream, client-stream, go-unary, go-stream, start-*, memory-*, soak-* and scale, and writes
    the raw samples and their statistics to -ResultFile as JSON. Every plugin process it starts is stopped in
    finally blocks; whatever is still alive at the end is killed.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TestPlugin,
    [string] $PeersDir,
    [switch] $Quick,
    [Parameter(Mandatory)] [string] $StubDll,
    [Parameter(Mandatory)] [string] $StubExe,
    [Parameter(Mandatory)] [string] $ResultFile,
    # Run only rows whose id starts with one of these (e.g. unary, start, go); default all.
    [string[]] $Only
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
. (Join-Path $PSScriptRoot 'SessionBenchHelpers.ps1')
. (Join-Path $PSScriptRoot 'SessionLifecycleRows.ps1')
if ($Only) { $Only = @($Only -split ',' | ForEach-Object Trim | Where-Object { $_ }) }

# Sizes: full (issue 6) and quick (CI: the harness must run, numbers are not judged).
$size = if ($Quick) {
    @{ UnaryCalls = 200; UnaryReps = 10; WarmCalls = 50; ProcessRuns = 3; ProcessOursCalls = 120; ProcessOursReps = 3
       StreamCount = 5000; StreamReps = 3; ClientCount = 5000; ClientReps = 3
       GoCalls = 200; GoReps = 4; GoStreamCount = 5000; GoStreamReps = 3
       StartReps = 3; MemorySessions = 5; SoakCalls = 5000; ScaleRunspaces = 4; ScalePlugins = 2; ScaleCalls = 3 }
} else {
    @{ UnaryCalls = 5000; UnaryReps = 50; WarmCalls = 20000; ProcessRuns = 20; ProcessOursCalls = 1000; ProcessOursReps = 5
       StreamCount = 100000; StreamReps = 7; ClientCount = 100000; ClientReps = 5
       GoCalls = 5000; GoReps = 10; GoStreamCount = 100000; GoStreamReps = 5
       StartReps = 10; MemorySessions = 50; SoakCalls = 200000; ScaleRunspaces = 16; ScalePlugins = 4; ScaleCalls = 5 }
}

$TestPlugin = (Resolve-Path $TestPlugin).Path
$ModulePath = (Resolve-Path $ModulePath).Path
$script:rows = [ordered]@{}
$script:tracked = [Collections.Generic.List[object]]::new()
$script:main = $null; $script:plain = $null; $script:go = $null
$script:goPlugin = $null; $script:goHost = $null; $script:peersSkip = $null

# ------------------------------------------------------------------------------------------------------------

$meta = [ordered]@{ quick = [bool]$Quick; sizes = $size; module = $ModulePath; testplugin = $TestPlugin; peers = $PeersDir }
try {
    Import-Module $ModulePath
    $meta['module_version'] = (Get-Module RpcPlugin).Version.ToString()

    if (-not $PeersDir) { $script:peersSkip = 'no -PeersDir given (build them with tests/peers/build.sh <dir>)' }
    else {
        $script:goPlugin = Join-Path $PeersDir 'go-echo-plugin'; $script:goHost = Join-Path $PeersDir 'go-host'
        if (-not (Test-Path $script:goPlugin) -or -not (Test-Path $script:goHost)) {
            $script:peersSkip = "go peers not built in $PeersDir (tests/peers/build.sh $PeersDir; skipped when the Go toolchain is absent)"
        }
    }

    # The first start of the process (excluded from the start row, which measures warm starts).
    Write-Host '-- setup' -ForegroundColor Cyan
    $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
    $script:main = Start-Session $TestPlugin 'bench-main' @{ ProtocolVersion = 1, 2 }
    $meta['first_start_ms'] = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds
    if (-not $script:main.Tls) { throw 'The main session is not TLS: AutoMTLS expected.' }
    Write-Step ("first start {0:N0} ms; main session pid {1}, {2}, TLS {3}" -f $meta['first_start_ms'], $script:main.ProcessId, $script:main.Network, $script:main.Tls)

    Invoke-Row 'unary' {
        $invoker = Get-CallInvoker $script:main
        $stub = Get-StubType $invoker
        $batch = [int][Math]::Ceiling($size.UnaryCalls / $size.UnaryReps)
        # Steady state: both sides run until tiered JIT has settled (the first thousands of calls are up to twice as slow).
        $warm = $size.WarmCalls
        $null = Measure-OursUnary $script:main $warm; $null = $stub::Unary($invoker, $warm); $null = Measure-LoopOverStub $stub $invoker $warm
        $null = Measure-OursUnaryRaw $script:main $warm
        $ours = @(); $against = @(); $floor = @(); $raw = @(); $cmdlet = @()
        for ($r = 0; $r -lt $size.UnaryReps; $r++) {
            if ($r % 2 -eq 0) {
                $ours += Measure-OursUnary $script:main $batch; $against += $stub::Unary($invoker, $batch) * 1000 / $batch
            } else {
                $against += $stub::Unary($invoker, $batch) * 1000 / $batch; $ours += Measure-OursUnary $script:main $batch
            }
            $floor += Measure-LoopOverStub $stub $invoker $batch
            $raw += Measure-OursUnaryRaw $script:main $batch
            $cmdlet += Measure-TrivialCmdlet $batch
        }
        Write-Step ("ours {0:N1} µs/call, stub {1:N1} µs/call" -f (Get-SampleStats $ours).median, (Get-SampleStats $against).median)
        @{ unary = [ordered]@{
            ours = New-Sample 'Invoke-RpcPluginMethod testplugin.Echo/Unary in a foreach loop' $ours ($batch * $size.UnaryReps)
            against = New-Sample 'compiled Grpc.Net.Client stub, same process, same CallInvoker (unix socket, AutoMTLS)' $against ($batch * $size.UnaryReps)
            unit = 'µs/call'
            diagnostics = [ordered]@{
                'foreach calling the stub once per iteration (µs/call)' = Get-SampleStats $floor
                'Invoke-RpcPluginMethod -Raw, no PSObject output (µs/call)' = Get-SampleStats $raw
                'foreach calling Write-Output, a trivial cmdlet (µs/call)' = Get-SampleStats $cmdlet
            }
        } }
    }

    Invoke-Row 'process' {
        $script:plain = Start-Session $TestPlugin 'bench-plain' @{ ProtocolVersion = 1, 2; NoAutoMtls = $true }
        if ($script:plain.Network -ne 'unix') { throw "The plaintext session is on $($script:plain.Network), not a unix socket." }
        $address = $script:plain.Address
        # A run that fails is retried (twice at most) and counted: only successful runs are timed.
        $script:processFailures = [Collections.Generic.List[string]]::new()
        $call = {
            for ($try = 1; ; $try++) {
                $run = Invoke-TimedProcess $StubExe @('call', $address) -TimeoutSeconds 60
                if ($run.ExitCode -eq 0 -and $run.Stdout.Trim() -eq 'x') { return $run.Milliseconds * 1000 }
                $why = ($run.Stderr -split "`n" | Where-Object { $_ -match 'Exception' } | Select-Object -First 1)
                $script:processFailures.Add("exit $($run.ExitCode): $(if ($why) { $why.Trim() } else { $run.Stdout.Trim() })")
                if ($try -ge 3) { throw "BenchStub call failed 3 times in a row; last: $($script:processFailures[-1])" }
            }
        }
        $null = & $call   # untimed: the first run pays for cold files
        $batch = [int][Math]::Ceiling($size.ProcessOursCalls / $size.ProcessOursReps)
        $null = Measure-OursUnary $script:plain $batch
        $ours = @(); $against = @()
        $perRep = [Math]::Max(1, [int][Math]::Ceiling($size.ProcessRuns / $size.ProcessOursReps))
        for ($r = 0; $r -lt $size.ProcessOursReps; $r++) {
            $ours += Measure-OursUnary $script:plain $batch
            for ($k = 0; $k -lt $perRep -and $against.Count -lt $size.ProcessRuns; $k++) { $against += & $call }
        }
        while ($against.Count -lt $size.ProcessRuns) { $against += & $call }
        Write-Step ("ours {0:N1} µs/call, one process per call {1:N0} µs" -f (Get-SampleStats $ours).median, (Get-SampleStats $against).median)
        @{ process = [ordered]@{
            ours = New-Sample 'Invoke-RpcPluginMethod unary loop, plaintext session (-NoAutoMtls)' $ours ($batch * $size.ProcessOursReps)
            against = New-Sample 'BenchStub call <socket>: one .NET process per call (start, dial, 1 call, exit), plaintext' $against $against.Count
            unit = 'µs/call'
            diagnostics = [ordered]@{ 'failed runs (retried, not timed)' = "$($script:processFailures.Count)$(if ($script:processFailures.Count) { ': ' + ($script:processFailures | Select-Object -Unique -First 3) -join ' | ' })" }
        } }
    }

    Invoke-Row 'server-stream' {
        $invoker = Get-CallInvoker $script:main
        $stub = Get-StubType $invoker
        $n = $size.StreamCount
        $oursRun = {
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            $m = Invoke-RpcPluginMethod $script:main testplugin.Echo/ServerStream @{ count = $n } | Measure-Object
            $us = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $n
            if ($m.Count -ne $n) { throw "ServerStream gave $($m.Count) of $n messages." }
            $us
        }
        $stubRun = {
            $res = $stub::ServerStream($invoker, $n)
            if ($res[1] -ne $n) { throw "The stub read $($res[1]) of $n messages." }
            $res[0] * 1000 / $n
        }
        $null = $stub::ServerStream($invoker, [Math]::Min($n, 2000)); $null = Invoke-RpcPluginMethod $script:main testplugin.Echo/ServerStream @{ count = [Math]::Min($n, 2000) } | Measure-Object
        # The consumer's own cost: Measure-Object over N reply-shaped PSObjects already in memory.
        $sample = Invoke-RpcPluginMethod $script:main testplugin.Echo/Unary @{ message = 'x' }
        $items = [object[]]::new($n); for ($i = 0; $i -lt $n; $i++) { $items[$i] = $sample }
        $consumer = {
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            $null = $items | Measure-Object
            [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $n
        }
        $ours = @(); $against = @(); $floor = @()
        for ($r = 0; $r -lt $size.StreamReps; $r++) {
            if ($r % 2 -eq 0) { $ours += & $oursRun; $against += & $stubRun } else { $against += & $stubRun; $ours += & $oursRun }
            $floor += & $consumer
        }
        Write-Step ("ours {0:N2} µs/msg, stub {1:N2} µs/msg" -f (Get-SampleStats $ours).median, (Get-SampleStats $against).median)
        @{ 'server-stream' = [ordered]@{
            ours = New-Sample "Invoke-RpcPluginMethod testplugin.Echo/ServerStream @{count=$n} | Measure-Object" $ours ($n * $size.StreamReps)
            against = New-Sample 'compiled stub reading the same stream, same CallInvoker' $against ($n * $size.StreamReps)
            unit = 'µs/message'
            diagnostics = [ordered]@{ "`$items | Measure-Object over $n reply objects already in memory (µs/item)" = Get-SampleStats $floor }
        } }
    }

    Invoke-Row 'client-stream' {
        $invoker = Get-CallInvoker $script:main
        $stub = Get-StubType $invoker
        $n = $size.ClientCount
        $oursRun = {
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            $summary = 1..$n | ForEach-Object { @{ message = 'x' } } | Invoke-RpcPluginMethod $script:main testplugin.Echo/ClientStream
            $us = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $n
            if ($summary.count -ne $n) { throw "ClientStream counted $($summary.count) of $n." }
            $us
        }
        $stubRun = {
            $res = $stub::ClientStream($invoker, $n)
            if ($res[1] -ne $n) { throw "The plugin counted $($res[1]) of the stub's $n." }
            $res[0] * 1000 / $n
        }
        $generator = {
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            1..$n | ForEach-Object { @{ message = 'x' } } | Out-Null
            [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $n
        }
        $null = $stub::ClientStream($invoker, [Math]::Min($n, 2000))
        $null = 1..([Math]::Min($n, 2000)) | ForEach-Object { @{ message = 'x' } } | Invoke-RpcPluginMethod $script:main testplugin.Echo/ClientStream
        $ours = @(); $against = @(); $gen = @()
        for ($r = 0; $r -lt $size.ClientReps; $r++) {
            if ($r % 2 -eq 0) { $ours += & $oursRun; $against += & $stubRun } else { $against += & $stubRun; $ours += & $oursRun }
            $gen += & $generator
        }
        Write-Step ("ours {0:N2} µs/item, stub {1:N2} µs/item, generator alone {2:N2}" -f (Get-SampleStats $ours).median, (Get-SampleStats $against).median, (Get-SampleStats $gen).median)
        @{ 'client-stream' = [ordered]@{
            ours = New-Sample "1..$n | % { @{message='x'} } | Invoke-RpcPluginMethod testplugin.Echo/ClientStream" $ours ($n * $size.ClientReps)
            against = New-Sample 'compiled stub writing the same requests, same CallInvoker' $against ($n * $size.ClientReps)
            unit = 'µs/item'
            diagnostics = [ordered]@{ "1..$n | % { @{message='x'} } | Out-Null alone (µs/item)" = Get-SampleStats $gen }
        } }
    }

    Invoke-Row 'go' {
        if ($script:peersSkip) { return @{ 'go-unary' = Skip-Row $script:peersSkip; 'go-stream' = Skip-Row $script:peersSkip } }
        $script:go = Start-Session $script:goPlugin 'bench-go' @{ MagicCookieKey = 'ECHO_PLUGIN'; MagicCookieValue = 'go-echo'; ProtocolVersion = 2 }
        if (-not $script:go.Tls -or $script:go.Network -ne 'unix') { throw "go-echo-plugin session: TLS $($script:go.Tls), $($script:go.Network); AutoMTLS over a unix socket expected." }
        $batch = [int][Math]::Ceiling($size.GoCalls / $size.GoReps)
        # The compiled stub on the same connection too: splits the gap into .NET client stack and cmdlet.
        $goInvoker = Get-CallInvoker $script:go
        $stub = Get-StubType $goInvoker
        $warm = $size.WarmCalls
        $null = Measure-OursGoUnary $script:go $warm; $null = $stub::GoUnary($goInvoker, $warm)
        $ours = @(); $against = @(); $starts = @(); $stubGo = @()
        for ($r = 0; $r -lt $size.GoReps; $r++) {
            $doGo = { $j = Invoke-GoHost @('call', 'echo', $script:goPlugin, "$batch"); $script:againstTmp = [double]$j.per_call_us; [double]$j.start_ms }
            if ($r % 2 -eq 0) { $ours += Measure-OursGoUnary $script:go $batch; $starts += & $doGo; $against += $script:againstTmp }
            else { $starts += & $doGo; $against += $script:againstTmp; $ours += Measure-OursGoUnary $script:go $batch }
            $stubGo += $stub::GoUnary($goInvoker, $batch) * 1000 / $batch
        }
        Write-Step ("unary: ours {0:N1} µs/call, go-host {1:N1} µs/call" -f (Get-SampleStats $ours).median, (Get-SampleStats $against).median)

        $n = $size.GoStreamCount
        $oursRun = {
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            $m = Invoke-RpcPluginMethod $script:go goecho.Echo/ServerStream @{ count = $n; text = 'x' } | Measure-Object
            $us = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $n
            if ($m.Count -ne $n) { throw "goecho ServerStream gave $($m.Count) of $n." }
            $us
        }
        $null = Invoke-RpcPluginMethod $script:go goecho.Echo/ServerStream @{ count = [Math]::Min($n, 2000); text = 'x' } | Measure-Object
        $sOurs = @(); $sAgainst = @(); $sStub = @()
        for ($r = 0; $r -lt $size.GoStreamReps; $r++) {
            $doGo = { $j = Invoke-GoHost @('stream', $script:goPlugin, "$n"); if ([int]$j.messages -ne $n) { throw "go-host read $($j.messages) of $n." }; [double]$j.per_message_us }
            if ($r % 2 -eq 0) { $sOurs += & $oursRun; $sAgainst += & $doGo } else { $sAgainst += & $doGo; $sOurs += & $oursRun }
            $res = $stub::GoServerStream($goInvoker, $n); $sStub += $res[0] * 1000 / $n
        }
        Write-Step ("stream: ours {0:N2} µs/msg, go-host {1:N2} µs/msg" -f (Get-SampleStats $sOurs).median, (Get-SampleStats $sAgainst).median)
        @{
            'go-unary' = [ordered]@{
                ours = New-Sample 'Invoke-RpcPluginMethod goecho.Echo/Unary loop against go-echo-plugin (AutoMTLS, unix socket)' $ours ($batch * $size.GoReps)
                against = New-Sample "go-host call echo (go-plugin's Go client, AutoMTLS, unix socket), $batch calls per run" $against ($batch * $size.GoReps)
                unit = 'µs/call'
                diagnostics = [ordered]@{
                    'compiled Grpc.Net.Client stub on the same session connection (µs/call)' = Get-SampleStats $stubGo
                    'go-host start_ms during these runs' = Get-SampleStats $starts
                }
            }
            'go-stream' = [ordered]@{
                ours = New-Sample "Invoke-RpcPluginMethod goecho.Echo/ServerStream @{count=$n} | Measure-Object" $sOurs ($n * $size.GoStreamReps)
                against = New-Sample "go-host stream (go-plugin's Go client), $n messages per run" $sAgainst ($n * $size.GoStreamReps)
                unit = 'µs/message'
                diagnostics = [ordered]@{ 'compiled Grpc.Net.Client stub on the same session connection (µs/message)' = Get-SampleStats $sStub }
            }
        }
    }

    Invoke-LifecycleRows
} catch {
    Write-Host "fatal: $($_.Exception.Message) ($($_.InvocationInfo.ScriptName):$($_.InvocationInfo.ScriptLineNumber))" -ForegroundColor Red
    $meta['fatal'] = $_.Exception.Message
} finally {
    Write-Host '-- cleanup' -ForegroundColor Cyan
    foreach ($s in @($script:go, $script:plain, $script:main)) { Stop-Session $s }
    if (Get-Module RpcPlugin) {
        Get-RpcPlugin | Stop-RpcPlugin -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    }
    $left = @($script:tracked | Where-Object { Test-ProcessAlive $_.Pid })
    foreach ($p in $left) { Write-Host "  killing straggler pid $($p.Pid) ($($p.What))" -ForegroundColor Yellow; Stop-ProcessTree $p.Pid -GraceMilliseconds 500 }
    $meta['stragglers_killed'] = $left.Count
    $meta['processes_started'] = $script:tracked.Count
    [ordered]@{ meta = $meta; rows = $script:rows } | ConvertTo-Json -Depth 8 | Set-Content -Path $ResultFile -Encoding utf8
    Remove-Module RpcPlugin -ErrorAction SilentlyContinue
}
