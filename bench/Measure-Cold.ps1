#Requires -Version 7.4
<#
.SYNOPSIS
    The cold rows of the benchmarks (issue 12): what a fresh pwsh pays, each run a whole new process. Run by
    Invoke-Benchmarks.ps1; not meant to be called directly.

.DESCRIPTION
    Interleaved, in rotating order, after one untimed round (disk cache):
      - ColdScript.ps1 in a fresh pwsh (Import-Module, Start-RpcPlugin of go-echo-plugin with AutoMTLS, one call,
        Stop-RpcPlugin), timed as a whole process, with the phases it reports;
      - a bare `pwsh -NoProfile -NonInteractive -Command exit`;
      - go-host call echo <go-echo-plugin> 1: go-plugin's own Go client doing start + call + kill as a process.
    Then, interleaved: ColdCalls.ps1 in a fresh pwsh (calls 1..N timed in batches, then the steady state of the
    same process) and go-host call echo with the same N in a fresh process.
    Writes raw samples and their statistics to -ResultFile. Every plugin a run started is checked to be gone;
    a straggler is killed and counted.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $PeersDir,
    [switch] $Quick,
    [Parameter(Mandatory)] [string] $ResultFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
. (Join-Path $PSScriptRoot 'PrecompiledPwsh.ps1')

$size = if ($Quick) {
    @{ ScriptReps = 3; CallsReps = 1; FirstCalls = 1000; LongCalls = 2000; WarmCalls = 0; SteadyCalls = 1000 }
} else {
    @{ ScriptReps = 10; CallsReps = 5; FirstCalls = 1000; LongCalls = 10000; WarmCalls = 10000; SteadyCalls = 2000 }
}

$rows = [ordered]@{}
$meta = [ordered]@{ quick = [bool]$Quick; sizes = $size }
$pids = [Collections.Generic.List[int]]::new()
$pwsh = Get-PwshCommand
$pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive')
$goPlugin = if ($PeersDir) { Join-Path $PeersDir 'go-echo-plugin' } else { $null }
$goHost = if ($PeersDir) { Join-Path $PeersDir 'go-host' } else { $null }

function New-Sample {
    param([string] $What, [double[]] $Values, [long] $Operations)
    [ordered]@{ what = $What; n = $Operations; reps = $Values.Count; values = $Values; stats = Get-SampleStats $Values }
}

function Invoke-Json {
    # A whole process: its wall time from Process.Start to exit, and the JSON line it printed last.
    param([string] $FilePath, [string[]] $Arguments, [string] $What, [hashtable] $Environment = @{})
    $run = Invoke-TimedProcess $FilePath $Arguments -TimeoutSeconds 300 -Environment $Environment
    $line = ($run.Stdout -split '\r?\n' | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1)
    if ($run.ExitCode -ne 0 -or -not $line) {
        throw "$What exited with $($run.ExitCode): $((($run.Stderr + $run.Stdout).Trim() -split '\r?\n' | Select-Object -Last 5) -join ' | ')"
    }
    $json = $line | ConvertFrom-Json
    if ($json.PSObject.Properties['pid']) { $pids.Add([int]$json.pid) }
    [pscustomobject]@{ Milliseconds = $run.Milliseconds; Json = $json }
}

function Invoke-OneShot([string[]] $Pwsh = $pwsh, [hashtable] $Environment = @{}) {
    Invoke-Json $Pwsh[0] (@($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'ColdScript.ps1'), '-ModulePath', $ModulePath, '-PluginPath', $goPlugin)) 'ColdScript.ps1' $Environment
}

function Invoke-Bare([string[]] $Pwsh = $pwsh) {
    $run = Invoke-TimedProcess $Pwsh[0] (@($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', 'exit')) -TimeoutSeconds 120
    if ($run.ExitCode -ne 0) { throw "pwsh -Command exit exited with $($run.ExitCode): $($run.Stderr.Trim())" }
    $run.Milliseconds
}

function Invoke-GoHost([int] $Calls) {
    Invoke-Json $goHost @('call', 'echo', $goPlugin, "$Calls") "go-host call echo $Calls"
}

function Invoke-OursCalls {
    Invoke-Json $pwsh[0] ($pwshArgs + @('-File', (Join-Path $PSScriptRoot 'ColdCalls.ps1'), '-ModulePath', $ModulePath, '-PluginPath', $goPlugin,
        '-Calls', "$($size.LongCalls)", '-Warm', "$($size.WarmCalls)", '-Steady', "$($size.SteadyCalls)")) 'ColdCalls.ps1'
}

function Get-Median([double[]] $Values) { (Get-SampleStats $Values).median }

function Get-JitOwners {
    # One more (untimed) one-shot run with the JIT's own method list (DOTNET_JitStdOutFile): whose code the JIT
    # compiled, by the namespace of each method's type. ReadyToRun code is not in the list; what pwsh itself ships
    # as IL is, which is what a fresh pwsh spends most of its cold time on.
    $list = Join-Path ([IO.Path]::GetTempPath()) "rpcplugin-bench-jit-$PID.txt"
    try {
        try { $null = Invoke-OneShot -Environment @{ DOTNET_JitStdOutFile = $list; DOTNET_JitDisasmSummary = '1' } }
        catch { return "not counted: $($_.Exception.Message)" }
        if (-not (Test-Path $list)) { return 'not counted: the run wrote no method list' }
        $owners = [ordered]@{ 'PowerShell' = 0; 'RpcPlugin' = 0; '.NET generic code over RpcPlugin types (async state machines)' = 0; 'gRPC and protobuf' = 0; '.NET and others' = 0 }
        foreach ($line in [IO.File]::ReadLines($list)) {
            $at = $line.IndexOf('JIT compiled ')
            if ($at -lt 0) { continue }
            $name = $line.Substring($at + 13)
            $owner = if ($name.StartsWith('System.Management.Automation') -or $name.StartsWith('Microsoft.PowerShell')) { 'PowerShell' }
                elseif ($name.StartsWith('RpcPlugin')) { 'RpcPlugin' }
                elseif ($name.Contains('RpcPlugin.')) { '.NET generic code over RpcPlugin types (async state machines)' }
                elseif ($name.StartsWith('Grpc.') -or $name.StartsWith('Google.')) { 'gRPC and protobuf' }
                else { '.NET and others' }
            $owners[$owner]++
        }
        ($owners.Keys | ForEach-Object { "$_ $($owners[$_].ToString('N0'))" }) -join ', '
    } finally {
        Remove-Item $list -ErrorAction SilentlyContinue
    }
}

function Measure-EmptyImport {
    # What importing any module costs a fresh pwsh (an empty script module: PowerShell's module machinery JIT-compiling
    # itself), measured inside the process as ColdScript.ps1 measures ours, so the two Import-Module figures compare.
    $dir = Join-Path ([IO.Path]::GetTempPath()) "rpcplugin-bench-empty-$PID"
    $null = New-Item -ItemType Directory -Force $dir
    try {
        Set-Content (Join-Path $dir 'Empty.psm1') 'function Get-Nothing { }'
        Set-Content (Join-Path $dir 'Empty.psd1') "@{ RootModule = 'Empty.psm1'; ModuleVersion = '1.0'; FunctionsToExport = 'Get-Nothing' }"
        $command = "`$c = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$(Join-Path $dir 'Empty.psd1')'; '{' + '`"import_ms`":' + `$c.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture) + '}'"
        try {
            $values = for ($r = 0; $r -lt $size.ScriptReps; $r++) { [double](Invoke-Json $pwsh[0] ($pwshArgs + @('-Command', $command)) 'the empty import').Json.import_ms }
        } catch { return "not measured: $($_.Exception.Message)" }
        Get-SampleStats @($values)
    } finally {
        Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Test-PowerShellReadyToRun {
    # The PowerShell that runs the benchmarks: official packages precompile System.Management.Automation; the
    # PowerShell .NET tool ships it as IL, so every fresh pwsh JIT-compiles PowerShell itself.
    if (Test-ReadyToRunImage ([System.Management.Automation.PSObject].Assembly.Location)) { 'yes' } else { 'no (IL only)' }
}

$cold = @('cold-script', 'cold-script-r2r', 'cold-go', 'cold-import', 'cold-start', 'cold-call', 'cold-stop', 'cold-calls-1k', 'cold-calls-10k')
try {
    $skip = if (-not $PeersDir) { 'no -PeersDir given (build them with tests/peers/build.sh <dir>)' }
        elseif (-not (Test-Path $goPlugin) -or -not (Test-Path $goHost)) { "go peers not built in $PeersDir (tests/peers/build.sh $PeersDir; skipped when the Go toolchain is absent)" }
    if ($skip) {
        foreach ($id in $cold) { $rows[$id] = [ordered]@{ skipped = $skip } }
        return
    }

    # --- the one-shot script, a bare pwsh and go-host, rotating ---
    Write-Host '-- cold-script' -ForegroundColor Cyan
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $null = Invoke-OneShot; $null = Invoke-Bare; $null = Invoke-GoHost 1   # untimed: files into the page cache
    $script = @(); $bare = @(); $go = @(); $phases = @(); $goRuns = @()
    for ($r = 0; $r -lt $size.ScriptReps; $r++) {
        $steps = @(
            { $script:oneShotTmp = Invoke-OneShot },
            { $script:bareTmp = Invoke-Bare },
            { $script:goTmp = Invoke-GoHost 1 })
        for ($k = 0; $k -lt 3; $k++) { & $steps[($r + $k) % 3] }
        $script += $script:oneShotTmp.Milliseconds; $phases += $script:oneShotTmp.Json
        $bare += $script:bareTmp
        $go += $script:goTmp.Milliseconds; $goRuns += $script:goTmp.Json
    }
    $cost = for ($i = 0; $i -lt $script.Count; $i++) { $script[$i] - $bare[$i] }
    $seconds = [Math]::Round($clock.Elapsed.TotalSeconds, 1)
    Write-Host ("  one-shot script {0:N0} ms, bare pwsh {1:N0} ms, module cold cost {2:N0} ms; go-host start+call+kill {3:N0} ms" -f (Get-Median $script), (Get-Median $bare), (Get-Median $cost), (Get-Median $go)) -ForegroundColor DarkGray
    $readyToRun = @($phases | Where-Object { $_.ready_to_run }).Count
    $jitStats = { param([string] $Name) Get-SampleStats @($phases | ForEach-Object { [double]$_.$Name }) }
    $rows['cold-script'] = [ordered]@{
        ours = New-Sample 'bench/ColdScript.ps1 in a fresh pwsh: Import-Module, Start-RpcPlugin go-echo-plugin (AutoMTLS), one goecho.Echo/Unary call, Stop-RpcPlugin; whole process' $script $script.Count
        against = New-Sample 'a bare pwsh -NoProfile -NonInteractive -Command exit, whole process' $bare $bare.Count
        unit = 'ms'; seconds = $seconds
        diagnostics = [ordered]@{
            'runs whose module loaded from a ReadyToRun folder' = "$readyToRun of $($phases.Count)"
            'methods JIT-compiled by pwsh before the script began' = & $jitStats 'jit_before'
            'methods JIT-compiled in one more run, by the namespace of their type' = Get-JitOwners
            "this pwsh's System.Management.Automation.dll is ReadyToRun" = Test-PowerShellReadyToRun
        }
    }
    $rows['cold-go'] = [ordered]@{
        ours = New-Sample 'module cold cost: each one-shot script minus the bare pwsh run next to it' @($cost) $cost.Count
        against = New-Sample "go-host call echo <go-echo-plugin> 1: go-plugin's Go client, start + 1 call + kill, whole process" $go $go.Count
        unit = 'ms'; seconds = $seconds
    }
    $rows['cold-import'] = [ordered]@{
        ours = New-Sample 'Import-Module, first thing in a fresh pwsh' @($phases | ForEach-Object { [double]$_.import_ms }) $phases.Count
        unit = 'ms'; seconds = $seconds
        diagnostics = [ordered]@{
            'methods JIT-compiled' = & $jitStats 'jit_import'
            'Import-Module of an empty script module, first thing in a fresh pwsh (ms)' = Measure-EmptyImport
        }
    }
    $rows['cold-start'] = [ordered]@{
        ours = New-Sample 'first Start-RpcPlugin of the process (go-echo-plugin, AutoMTLS) until it returns' @($phases | ForEach-Object { [double]$_.start_ms }) $phases.Count
        against = New-Sample "go-host start_ms: go-plugin's NewClient + Client() + Dispense + Ping, in its fresh process" @($goRuns | ForEach-Object { [double]$_.start_ms }) $goRuns.Count
        unit = 'ms'; seconds = $seconds
        diagnostics = [ordered]@{ 'methods JIT-compiled' = & $jitStats 'jit_start' }
    }
    $rows['cold-call'] = [ordered]@{
        ours = New-Sample 'first Invoke-RpcPluginMethod goecho.Echo/Unary of the process (waits for the descriptors if still loading)' @($phases | ForEach-Object { [double]$_.call_ms }) $phases.Count
        against = New-Sample "go-host total_ms of its one call" @($goRuns | ForEach-Object { [double]$_.total_ms }) $goRuns.Count
        unit = 'ms'; seconds = $seconds
        diagnostics = [ordered]@{ 'methods JIT-compiled' = & $jitStats 'jit_call' }
    }
    $rows['cold-stop'] = [ordered]@{
        ours = New-Sample 'first Stop-RpcPlugin of the process (GRPCController/Shutdown, wait for exit)' @($phases | ForEach-Object { [double]$_.stop_ms }) $phases.Count
        against = New-Sample "go-host kill_ms: go-plugin's Client.Kill (Shutdown, wait for exit)" @($goRuns | ForEach-Object { [double]$_.kill_ms }) $goRuns.Count
        unit = 'ms'; seconds = $seconds
        diagnostics = [ordered]@{ 'methods JIT-compiled' = & $jitStats 'jit_stop' }
    }

    # --- the same with PowerShell itself precompiled, as its official packages ship it ---
    Write-Host '-- cold-script with a precompiled PowerShell' -ForegroundColor Cyan
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $precompiled = Get-PrecompiledPwsh -CacheDir (Join-Path (Split-Path $PSScriptRoot) 'out/bench-cache')
    if ($precompiled -is [string]) {
        $rows['cold-script-r2r'] = [ordered]@{ skipped = $precompiled }
    } else {
        $null = Invoke-OneShot $precompiled; $null = Invoke-Bare $precompiled
        $script = @(); $bare = @(); $phases = @()
        for ($r = 0; $r -lt $size.ScriptReps; $r++) {
            if ($r % 2) { $bare += Invoke-Bare $precompiled }
            $run = Invoke-OneShot $precompiled
            $script += $run.Milliseconds; $phases += $run.Json
            if (-not ($r % 2)) { $bare += Invoke-Bare $precompiled }
        }
        $phaseStats = { param([string] $Name) Get-SampleStats @($phases | ForEach-Object { [double]$_.$Name }) }
        $rows['cold-script-r2r'] = [ordered]@{
            ours = New-Sample 'bench/ColdScript.ps1 as in the one-shot row, in a copy of this pwsh whose PowerShell assemblies crossgen2 precompiled (bench/PrecompiledPwsh.ps1); whole process' $script $script.Count
            against = New-Sample 'a bare pwsh -Command exit of the same precompiled copy, whole process' $bare $bare.Count
            unit = 'ms'; seconds = [Math]::Round($clock.Elapsed.TotalSeconds, 1)
            diagnostics = [ordered]@{
                'Import-Module (ms)' = & $phaseStats 'import_ms'
                'first Start-RpcPlugin (ms)' = & $phaseStats 'start_ms'
                'first call (ms)' = & $phaseStats 'call_ms'
                'first Stop-RpcPlugin (ms)' = & $phaseStats 'stop_ms'
                'methods JIT-compiled: import, start, call, stop' = ('jit_import', 'jit_start', 'jit_call', 'jit_stop' | ForEach-Object { (& $phaseStats $_).median.ToString('N0') }) -join ', '
            }
        }
        Write-Host ("  one-shot script {0:N0} ms, bare pwsh {1:N0} ms" -f (Get-Median $script), (Get-Median $bare)) -ForegroundColor DarkGray
    }

    # --- the first calls of a fresh process ---
    Write-Host '-- cold-calls' -ForegroundColor Cyan
    $clock.Restart()
    $first = @(); $long = @(); $steady = @(); $goFirst = @(); $goLong = @(); $batches = @()
    for ($r = 0; $r -lt $size.CallsReps; $r++) {
        $steps = @(
            { $script:oursTmp = (Invoke-OursCalls).Json },
            { $script:goFirstTmp = [double](Invoke-GoHost $size.FirstCalls).Json.per_call_us },
            { $script:goLongTmp = [double](Invoke-GoHost $size.LongCalls).Json.per_call_us })
        for ($k = 0; $k -lt 3; $k++) { & $steps[($r + $k) % 3] }
        $b = [double[]]@($script:oursTmp.batches_us)
        $perBatch = [int]$script:oursTmp.batch
        $firstBatches = [int][Math]::Ceiling($size.FirstCalls / $perBatch)
        $first += ($b | Select-Object -First $firstBatches | Measure-Object -Average).Average
        $long += ($b | Measure-Object -Average).Average
        $steady += [double]$script:oursTmp.steady_us
        $batches += , $b
        $goFirst += $script:goFirstTmp; $goLong += $script:goLongTmp
    }
    $seconds = [Math]::Round($clock.Elapsed.TotalSeconds, 1)
    $batchMedians = for ($i = 0; $i -lt $batches[0].Count; $i++) { Get-Median @($batches | ForEach-Object { $_[$i] }) }
    $curve = ($batchMedians | ForEach-Object { $_.ToString('0', [cultureinfo]::InvariantCulture) }) -join ', '
    Write-Host ("  calls 1–{0:N0}: {1:N0} µs/call (go-host {2:N0}); 1–{3:N0}: {4:N0} µs/call (go-host {5:N0}); steady {6:N0} µs/call" -f `
        $size.FirstCalls, (Get-Median $first), (Get-Median $goFirst), $size.LongCalls, (Get-Median $long), (Get-Median $goLong), (Get-Median $steady)) -ForegroundColor DarkGray
    $steadyWhat = "the same fresh pwsh's steady state: $($size.SteadyCalls) calls timed after $('{0:N0}' -f ($size.LongCalls + $size.WarmCalls)) calls"
    $rows['cold-calls-1k'] = [ordered]@{
        ours = New-Sample "calls 1–$('{0:N0}' -f $size.FirstCalls) of a fresh pwsh (after Import-Module and Start-RpcPlugin), goecho.Echo/Unary in a foreach loop" $first ($size.FirstCalls * $first.Count)
        against = New-Sample $steadyWhat $steady ($size.SteadyCalls * $steady.Count)
        unit = 'µs/call'; seconds = $seconds
        diagnostics = [ordered]@{ "go-host call echo $($size.FirstCalls) in a fresh process (µs/call)" = Get-SampleStats $goFirst }
    }
    $rows['cold-calls-10k'] = [ordered]@{
        ours = New-Sample "calls 1–$('{0:N0}' -f $size.LongCalls) of a fresh pwsh (after Import-Module and Start-RpcPlugin)" $long ($size.LongCalls * $long.Count)
        against = New-Sample "go-host call echo $($size.LongCalls): go-plugin's Go client, calls 1–$('{0:N0}' -f $size.LongCalls) in a fresh process" $goLong ($size.LongCalls * $goLong.Count)
        unit = 'µs/call'; seconds = $seconds
        diagnostics = [ordered]@{
            "µs/call of each batch of $perBatch calls, in order (median over runs)" = $curve
            'steady state of the same processes (µs/call)' = Get-SampleStats $steady
        }
    }
} catch {
    $message = "$($_.Exception.Message) ($($_.InvocationInfo.ScriptName):$($_.InvocationInfo.ScriptLineNumber))"
    Write-Host "   error: $message" -ForegroundColor Red
    foreach ($id in $cold) { if (-not $rows.Contains($id)) { $rows[$id] = [ordered]@{ error = $message } } }
} finally {
    $left = @($pids | Where-Object { Test-ProcessAlive $_ })
    foreach ($id in $left) { Write-Host "  killing straggler pid $id" -ForegroundColor Yellow; Stop-ProcessTree $id -GraceMilliseconds 500 }
    $meta['stragglers_killed'] = $left.Count
    $meta['plugins_started'] = $pids.Count
    [ordered]@{ meta = $meta; rows = $rows } | ConvertTo-Json -Depth 8 | Set-Content -Path $ResultFile -Encoding utf8
}
