#Requires -Version 7.4
<#
.SYNOPSIS
    Runs RpcPlugin's benchmarks (issue 6; targets in bench/README.md): every figure a ratio of two things measured side by side in
    this one run.

.DESCRIPTION
    1. Builds bench/BenchStub (the compiled Grpc.Net.Client stub, also the one-process-per-call program) and
       bench/CodecBench (BenchmarkDotNet, DynamicCodec against generated code) with `dotnet build
       --artifacts-path <BuildDir>`, so nothing is written under src/.
    2. Runs CodecBench (in-process BenchmarkDotNet job; its artifacts under <OutDir>/codec).
    3. Runs bench/Measure-Cold.ps1: the cold rows, each sample a whole new process (a fresh pwsh running a one-shot
       script or the first calls, a bare pwsh, go-plugin's Go client); raw samples to <OutDir>/cold.json.
    4. Runs bench/Measure-Sessions.ps1 in a fresh pwsh: the module, the test plugin and the Go peers, every pair
       interleaved; raw samples to <OutDir>/sessions.json.
    5. Runs bench/Measure-Churn.ps1 in a fresh pwsh: many start/call/stop cycles; results to <OutDir>/churn.json.
    6. Prints one table and writes <OutDir>/latest.json and <OutDir>/latest.md.

    The exit code is 0 when every row ran (numbers are not judged: a target that is not met is reported, not an
    error), 1 when a row failed to run or the build failed. Rows whose tools are absent (the Go peers) print
    "skipped: <reason>".

.EXAMPLE
    dotnet pwsh bench/Invoke-Benchmarks.ps1 -ModulePath out/RpcPlugin/RpcPlugin.psd1 -TestPlugin out/TestPlugin/TestPlugin -PeersDir out/peers -Quick -OutDir out/bench
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TestPlugin,
    # Where tests/peers/build.sh put go-echo-plugin and go-host; without it the go-plugin rows are skipped.
    [string] $PeersDir,
    # Seconds instead of minutes: smaller N, a short BenchmarkDotNet job. For CI, which does not judge numbers.
    [switch] $Quick,
    [Parameter(Mandatory)] [string] $OutDir,
    # Build output of the bench projects (default: <repo>/out/bench-build).
    [string] $BuildDir,
    # Use what is already in -BuildDir.
    [switch] $NoBuild,
    # Measure nothing: rebuild the table, latest.json and latest.md from <OutDir>/sessions.json, cold.json and
    # codec/codec.json.
    [switch] $ReportOnly,
    # Run only rows whose id starts with one of these: unary, process, server-stream, client-stream, go, cold, codec,
    # start, memory, soak, scale, churn.
    [string[]] $Only
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
# From a shell, `-Only a,b` arrives as one string: split it.
if ($Only) { $Only = @($Only -split ',' | ForEach-Object Trim | Where-Object { $_ }) }

$repo = Split-Path $PSScriptRoot -Parent
$ModulePath = (Resolve-Path $ModulePath).Path
$TestPlugin = (Resolve-Path $TestPlugin).Path
if ($PeersDir) { $PeersDir = [IO.Path]::GetFullPath($PeersDir, (Get-Location).Path) }
$OutDir = [IO.Path]::GetFullPath($OutDir, (Get-Location).Path)
$BuildDir = if ($BuildDir) { [IO.Path]::GetFullPath($BuildDir, (Get-Location).Path) } else { Join-Path $repo 'out/bench-build' }
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$wants = { param([string] $Id) -not $Only -or [bool]($Only | Where-Object { $Id.StartsWith($_, [StringComparison]::OrdinalIgnoreCase) -or $_.StartsWith($Id, [StringComparison]::OrdinalIgnoreCase) }) }
$started = [DateTimeOffset]::UtcNow
$loadAtStart = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' } else { $null }
$failures = [Collections.Generic.List[string]]::new()

function Get-AppPath([string] $Name) {
    $dir = Join-Path $BuildDir "bin/$Name/release"
    $exe = Join-Path $dir ($Name + $(if ($IsWindows) { '.exe' } else { '' }))
    [pscustomobject]@{ Dll = Join-Path $dir "$Name.dll"; Exe = $exe }
}

# --- 1. build ---------------------------------------------------------------------------------------------------
$stub = Get-AppPath 'BenchStub'
$codec = Get-AppPath 'CodecBench'
if (-not $NoBuild -and -not $ReportOnly) {
    Write-Host '== Build bench projects' -ForegroundColor Cyan
    $projects = @('bench/BenchStub/BenchStub.csproj')
    if (& $wants 'codec') { $projects += 'bench/CodecBench/CodecBench.csproj' }
    foreach ($project in $projects) {
        & dotnet build (Join-Path $repo $project) -c Release --artifacts-path $BuildDir --nologo -v quiet | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "dotnet build $project failed with exit code $LASTEXITCODE." }
    }
}
if (-not $ReportOnly -and -not (Test-Path $stub.Dll)) { throw "$($stub.Dll) is missing: build without -NoBuild." }

# --- 2. codec (BenchmarkDotNet, its own process, before any plugin runs) -----------------------------------------
$codecResult = $null
if ($ReportOnly) {
    $codecJson = Join-Path $OutDir 'codec/codec.json'
    if ((& $wants 'codec') -and (Test-Path $codecJson)) { $codecResult = Get-Content -Raw $codecJson | ConvertFrom-Json }
} elseif (& $wants 'codec') {
    Write-Host "== Codec (BenchmarkDotNet, $(if ($Quick) { 'quick' } else { 'full' }) job)" -ForegroundColor Cyan
    $codecDir = Join-Path $OutDir 'codec'
    if (Test-Path $codecDir) { Remove-Item $codecDir -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $codecDir | Out-Null
    $log = Join-Path $codecDir 'console.log'
    $program = @(if (Test-Path $codec.Exe) { $codec.Exe } else { 'dotnet'; $codec.Dll })
    & $program[0] @($program | Select-Object -Skip 1) $(if ($Quick) { 'quick' } else { 'full' }) $codecDir *> $log
    $codecExit = $LASTEXITCODE
    # BenchmarkDotNet's own summary table, as it printed it.
    $lines = Get-Content $log
    $tableStart = ($lines | Select-String -Pattern '^\| Method' | Select-Object -First 1)
    if ($tableStart) { $lines[($tableStart.LineNumber - 1)..([Math]::Min($lines.Count, $tableStart.LineNumber + 13) - 1)] | ForEach-Object { Write-Host "  $_" } }
    $codecJson = Join-Path $codecDir 'codec.json'
    if ($codecExit -ne 0 -or -not (Test-Path $codecJson)) {
        $failures.Add("codec: CodecBench exited with $codecExit (see $log)")
    } else {
        $codecResult = Get-Content -Raw $codecJson | ConvertFrom-Json
    }
}

# --- 3. cold (each sample a new process) ---------------------------------------------------------------------------
$coldFile = Join-Path $OutDir 'cold.json'
$coldData = $null
if ($ReportOnly) {
    if (Test-Path $coldFile) { $coldData = Get-Content -Raw $coldFile | ConvertFrom-Json -AsHashtable }
} elseif (& $wants 'cold') {
    Write-Host "== Cold ($(if ($Quick) { 'quick' } else { 'full' }))" -ForegroundColor Cyan
    Remove-Item $coldFile -ErrorAction SilentlyContinue
    $coldArgs = @{ ModulePath = $ModulePath; ResultFile = $coldFile; Quick = [bool]$Quick }
    if ($PeersDir) { $coldArgs.PeersDir = $PeersDir }
    & (Join-Path $PSScriptRoot 'Measure-Cold.ps1') @coldArgs
    if (Test-Path $coldFile) { $coldData = Get-Content -Raw $coldFile | ConvertFrom-Json -AsHashtable }
    else { $failures.Add('cold: Measure-Cold.ps1 wrote no results') }
}

# --- 4. sessions (fresh pwsh) -------------------------------------------------------------------------------------
$sessionsFile = Join-Path $OutDir 'sessions.json'
if (-not $ReportOnly) { Remove-Item $sessionsFile -ErrorAction SilentlyContinue }
$sessionRows = @('unary', 'process', 'server-stream', 'client-stream', 'go', 'start', 'memory', 'soak', 'scale')
$sessionData = $null
if ($ReportOnly) {
    if (Test-Path $sessionsFile) { $sessionData = Get-Content -Raw $sessionsFile | ConvertFrom-Json -AsHashtable }
} elseif ($sessionRows | Where-Object { & $wants $_ }) {
    Write-Host "== Sessions ($(if ($Quick) { 'quick' } else { 'full' }))" -ForegroundColor Cyan
    $pwsh = Get-PwshCommand
    $workerArgs = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Measure-Sessions.ps1'),
        '-ModulePath', $ModulePath, '-TestPlugin', $TestPlugin, '-StubDll', $stub.Dll, '-StubExe', $stub.Exe, '-ResultFile', $sessionsFile)
    if ($PeersDir) { $workerArgs += @('-PeersDir', $PeersDir) }
    if ($Quick) { $workerArgs += '-Quick' }
    if ($Only) { $workerArgs += @('-Only', ($Only -join ',')) }
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) @workerArgs | Out-Host
    if (-not (Test-Path $sessionsFile)) {
        $failures.Add("sessions: Measure-Sessions.ps1 wrote no results (exit code $LASTEXITCODE)")
    } else {
        $sessionData = Get-Content -Raw $sessionsFile | ConvertFrom-Json -AsHashtable
        if ($sessionData.meta.Contains('fatal')) { $failures.Add("sessions: $($sessionData.meta.fatal)") }
    }
}

# --- 5. churn (fresh pwsh): many short sessions in one process; its rows join the session rows ------------------
$churnFile = Join-Path $OutDir 'churn.json'
$churnData = $null
if ($ReportOnly) {
    if (Test-Path $churnFile) { $churnData = Get-Content -Raw $churnFile | ConvertFrom-Json -AsHashtable }
} elseif (& $wants 'churn') {
    Write-Host "== Churn ($(if ($Quick) { 'quick' } else { 'full' }))" -ForegroundColor Cyan
    Remove-Item $churnFile -ErrorAction SilentlyContinue
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Measure-Churn.ps1') `
        -ModulePath $ModulePath -TestPlugin $TestPlugin -ResultFile $churnFile -Quick:$Quick | Out-Host
    if (Test-Path $churnFile) { $churnData = Get-Content -Raw $churnFile | ConvertFrom-Json -AsHashtable }
    else { $failures.Add("churn: Measure-Churn.ps1 wrote no results (exit code $LASTEXITCODE)") }
}
if ($churnData) {
    if (-not $sessionData) { $sessionData = @{ meta = [ordered]@{ quick = [bool]$Quick }; rows = [ordered]@{} } }
    foreach ($entry in $churnData.rows.GetEnumerator()) { $sessionData.rows[$entry.Key] = $entry.Value }
    $sessionData.meta['churn'] = $churnData.meta
}

# --- 6. rows ------------------------------------------------------------------------------------------------------
# What each row is, its target (bench/README.md, Targets) and how the target is judged: ratio = ours / against (time per
# operation, lower is better for us); diff = ours - against (start rows, ms).
$specs = [ordered]@{
    'unary'            = @{ Name = 'unary call'; Target = 'ratio ≤ 1.5'; Test = { param($r) $r.ratio -le 1.5 }
        Note = 'Per-call time of `Invoke-RpcPluginMethod $s testplugin.Echo/Unary @{message=''x''}` in a PowerShell foreach loop, against a Grpc.Net.Client stub generated from protos/test/testplugin.proto, loaded into the module''s AssemblyLoadContext and called from the same pwsh on the session''s own CallInvoker (same unix-socket AutoMTLS connection). Both sides first make 20,000 warm-up calls: the first thousands of calls in a process are up to twice as slow on both sides while .NET and PowerShell finish compiling (tiered JIT), and steady state is what a long loop sees; then batches interleaved.' }
    'process'          = @{ Name = 'process per call'; Target = 'ratio ≤ 0.02 (≥ 50× faster)'; Test = { param($r) $r.ratio -le 0.02 }
        Note = 'Our unary loop on a plaintext session (the test plugin started with -NoAutoMtls), against `BenchStub call <socket>`: one .NET process per call that starts, dials the same plugin''s unix socket (plaintext), calls Unary once and exits — what shell users do with grpcurl. A Go grpcurl starts faster than a .NET process, so this overstates the gap somewhat.' }
    'server-stream'    = @{ Name = 'server stream'; Target = 'ratio ≤ 2 (≥ 50% of stub throughput)'; Test = { param($r) $r.ratio -le 2 }
        Note = 'Time per message of `Invoke-RpcPluginMethod $s testplugin.Echo/ServerStream @{count=N} | Measure-Object`, against the stub reading the same stream over the same CallInvoker.' }
    'client-stream'    = @{ Name = 'client stream'; Target = 'none'; Test = $null
        Note = 'Time per item of `1..N | % { @{message=''x''} } | Invoke-RpcPluginMethod $s testplugin.Echo/ClientStream` (the generator is included; its cost alone is in the diagnostics), against the stub writing N requests on the same CallInvoker.' }
    'go-unary'         = @{ Name = "go-plugin's client: unary"; Target = 'ratio ≤ 1.3'; Test = { param($r) $r.ratio -le 1.3 }
        Note = "Our unary loop (goecho.Echo/Unary) against go-echo-plugin (go-plugin 1.0.1 server, AutoMTLS, unix socket), against tests/peers go-host call echo: go-plugin's own Go client calling the same plugin binary N times in one process (its per_call_us)." }
    'go-stream'        = @{ Name = "go-plugin's client: server stream"; Target = 'none'; Test = $null
        Note = 'goecho.Echo/ServerStream into Measure-Object, against go-host stream (per_message_us).' }
    'cold-script'      = @{ Name = 'cold: one-shot script'; Target = 'diff ≤ 250 ms'; Test = { param($r) $r.difference -le 250 }
        Note = 'What a cron job, a CI step or a one-liner pays: bench/ColdScript.ps1 (Import-Module, Start-RpcPlugin of go-echo-plugin with AutoMTLS, one unary call, Stop-RpcPlugin) in a fresh pwsh, timed from Process.Start to exit, against a bare `pwsh -NoProfile -NonInteractive -Command exit`; the difference is the module''s cold cost. Each repetition runs the one-shot script, the bare pwsh and go-host in rotating order, after one untimed round.' }
    'cold-script-r2r'  = @{ Name = 'cold: one-shot, precompiled pwsh'; Target = 'diff ≤ 250 ms'; Test = { param($r) $r.difference -le 250 }
        Note = 'The one-shot script and the bare pwsh of the row above, run by a copy of the same pwsh whose own assemblies (System.Management.Automation, the console host, the built-in command assemblies) crossgen2 precompiled, as PowerShell''s official packages ship them; the .NET tool package that runs these benchmarks ships them as IL, so the row above also times PowerShell JIT-compiling itself. Interleaved; the phases inside the script in the diagnostics.' }
    'cold-go'          = @{ Name = "cold: module cost vs go-plugin's client"; Target = 'none'; Test = $null
        Note = "The module's cold cost (each one-shot run minus the bare pwsh run of its repetition) beside go-plugin's own Go client doing start + one call + kill as a whole process (go-host call echo <plugin> 1)." }
    'cold-import'      = @{ Name = 'cold: Import-Module'; Target = 'none'; Test = $null
        Note = 'The phases of the same one-shot runs, timed inside the script, with the methods the JIT compiled in each (System.Runtime.JitInfo.GetCompiledMethodCount: few in our own phases means the ReadyToRun code was used). Import-Module first.' }
    'cold-start'       = @{ Name = 'cold: first Start-RpcPlugin'; Target = 'none'; Test = $null
        Note = "The first Start-RpcPlugin of the process, against go-host's start_ms in its own fresh process." }
    'cold-call'        = @{ Name = 'cold: first call'; Target = 'none'; Test = $null
        Note = "The first Invoke-RpcPluginMethod of the process, against go-host's one timed call." }
    'cold-stop'        = @{ Name = 'cold: first Stop-RpcPlugin'; Target = 'none'; Test = $null
        Note = "The first Stop-RpcPlugin of the process, against go-host's kill_ms (go-plugin's Client.Kill: Shutdown, then wait)." }
    'cold-calls-1k'    = @{ Name = 'cold: calls 1–1,000'; Target = 'ratio ≤ 1.5'; Test = { param($r) $r.ratio -le 1.5 }
        Note = 'Per-call time of the first 1,000 unary calls (goecho.Echo/Unary, the loop of the go-unary row) in a fresh pwsh, right after Import-Module and Start-RpcPlugin (bench/ColdCalls.ps1), against the steady state of the same process (timed after 20,000 calls; quick: right after the first ones). go-plugin''s Go client doing its first 1,000 calls in a fresh process is in the diagnostics.' }
    'cold-calls-10k'   = @{ Name = 'cold: calls 1–10,000'; Target = 'ratio ≤ 1.5'; Test = { param($r) $r.ratio -le 1.5 }
        Note = "Per-call time of the first 10,000 calls of the same fresh-pwsh runs (quick: 2,000), against go-plugin's Go client doing as many in a fresh process (go-host call echo <plugin> N, per_call_us). The diagnostics show every batch of 1,000: how fast the per-call time settles." }
    'codec-small-encode'  = @{ Name = 'codec: small encode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 }
        Note = 'BenchmarkDotNet (in-process job), RpcPlugin.Core''s DynamicCodec.Encode/Decode of a DynamicMessage against Google.Protobuf generated code (ToByteArray / Parser.ParseFrom), same descriptor and values. small: testplugin.EchoRequest; medium: testplugin.AllTypes with every field set; large: AllTypes with 1 MB of bytes and 10,000 packed int32. Values are BenchmarkDotNet iteration statistics (median, p10, p90 over N iterations).' }
    'codec-small-decode'  = @{ Name = 'codec: small decode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 } }
    'codec-medium-encode' = @{ Name = 'codec: medium encode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 } }
    'codec-medium-decode' = @{ Name = 'codec: medium decode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 } }
    'codec-large-encode'  = @{ Name = 'codec: large encode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 } }
    'codec-large-decode'  = @{ Name = 'codec: large decode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 } }
    'start-testplugin' = @{ Name = 'start: TestPlugin'; Target = 'diff ≤ 30 ms'; Test = { param($r) $r.difference -le 30 }
        Note = 'Warm Start-RpcPlugin (not the first start of the process) until Ready — AutoMTLS client certificate, launch, handshake, TLS connect and one health check; descriptors load later in the background — against a raw Process.Start of the same plugin with the same environment (cookie, PLUGIN_PROTOCOL_VERSIONS=1,2, PLUGIN_CLIENT_CERT so the plugin makes its AutoMTLS certificate too, PLUGIN_UNIX_SOCKET_DIR) until its handshake line. Interleaved.' }
    'start-go'         = @{ Name = 'start: go-echo-plugin'; Target = 'diff ≤ 30 ms'; Test = { param($r) $r.difference -le 30 }
        Note = 'Same for go-echo-plugin (ECHO_PLUGIN=go-echo, version 2, AutoMTLS).' }
    'start-go-host'    = @{ Name = "start: go-plugin's client"; Target = 'none'; Test = $null
        Note = "Start-RpcPlugin of go-echo-plugin (the same samples as the row above) against go-host's start_ms: go-plugin's NewClient + Client() + Dispense + Ping (AutoMTLS), i.e. what go-plugin's own client takes to the same point." }
    'memory-managed'   = @{ Name = 'memory: managed / idle session'; Target = '≤ 2 MB'; Test = { param($r) $r.ours.median -le 2 }
        Note = 'N TestPlugin sessions started and idle (descriptors loaded); GC.GetTotalMemory(true) after a full collection, with the sessions minus before, divided by N. Absolute, no pair.' }
    'memory-private'   = @{ Name = 'memory: private bytes / idle session'; Target = 'none'; Test = $null
        Note = 'Same, process private bytes (Linux: Private_Clean + Private_Dirty of /proc/self/smaps_rollup).' }
    'soak-heap'        = @{ Name = 'soak: heap growth'; Target = '≈ 0 (≤ 1 MB)'; Test = { param($r) $r.ours.median -le 1 }
        Note = 'Managed heap after a full GC before and after N unary calls on one session (after 1,000 warm-up calls); checkpoints each quarter in the diagnostics. Quick mode is too short to show a small leak.' }
    'soak-handles'     = @{ Name = 'soak: fd growth'; Target = '0 (≤ 2)'; Test = { param($r) $r.ours.median -le 2 }
        Note = 'Open file descriptors (/proc/self/fd) before and after the same N calls.' }
    'scale'            = @{ Name = 'scale: parallel runspaces'; Target = 'no cross-talk'; Test = { param($r) [bool]$r.pass }
        Note = 'ForEach-Object -Parallel: R runspaces, each importing the module, starting P TestPlugins of its own, calling each (and one session shared by all runspaces) a few times with messages unique to the caller and checking every reply (message and pid), that Get-RpcPlugin shows only its own sessions, then stopping them. Wall time of the whole block; pass = no reply reached the wrong caller and nothing failed.' }
}
$specs['churn-heap'] = @{ Name = 'churn: heap growth'; Target = 'flat (≤ 1 MB)'; Test = { param($r) $r.ours.median -le 1 }
    Note = 'One pwsh starts the test plugin, makes a few calls (records of every kind: nested messages, maps with integer and bool keys, a oneof, an Any) and stops it, over and over (a scheduler starting a plugin every minute). Managed heap after a full GC after the warm-up cycles and at checkpoints; growth from the first sample to the last. Before sessions shared their response types, each session kept ~23 KB of heap and an assembly for good.' }
$specs['churn-assemblies'] = @{ Name = 'churn: assembly growth'; Target = 'flat (≤ 2)'; Test = { param($r) $r.ours.median -le 2 }
    Note = 'Loaded assemblies (emitted response types among them) after the same cycles. A framework assembly may load once, late (System.Net.Quic by the HTTP stack): the target allows 2 in all, not per session.' }
$specs['churn-threads'] = @{ Name = 'churn: thread growth'; Target = 'flat (≤ 4)'; Test = { param($r) $r.ours.median -le 4 }
    Note = 'Threads of the pwsh process after the same cycles (the thread pool grows and retires threads by itself, hence a small allowance).' }
$specs['churn-fds'] = @{ Name = 'churn: fd growth'; Target = '0 (≤ 2)'; Test = { param($r) $r.ours.median -le 2 }
    Note = 'Open file descriptors (/proc/self/fd) after the same cycles.' }

function New-Row {
    param([string] $Id, $Data)
    $spec = $specs[$Id]
    $row = [ordered]@{ id = $Id; name = $spec.Name; unit = $null; ours = $null; against = $null; ratio = $null; difference = $null
        target = $spec.Target; met = $null; paired_ratio = $null; skipped = $null; error = $null; note = $spec['Note']; diagnostics = $null; pass = $null; seconds = $null }
    if ($null -eq $Data) { $row.error = 'not measured (see the log above)'; return $row }
    foreach ($key in 'skipped', 'error', 'unit', 'diagnostics', 'pass', 'seconds') { if ($Data.Contains($key)) { $row[$key] = $Data[$key] } }
    if ($row.skipped -or $row.error) { return $row }
    $side = {
        param($s)
        if ($null -eq $s) { return $null }
        $st = $s['stats']
        [ordered]@{ what = $s['what']; N = $s['n']; reps = $s['reps']; median = $st['median']; p10 = $st['p10']; p90 = $st['p90']; min = $st['min']; max = $st['max'] }
    }
    $row.ours = & $side $Data['ours']
    $row.against = & $side $(if ($Data.Contains('against')) { $Data['against'] } else { $null })
    if ($row.against -and $row.against.median -gt 0) {
        $row.ratio = $row.ours.median / $row.against.median
        $row.difference = $row.ours.median - $row.against.median
        # Repetitions ran in adjacent pairs: the ratio of each pair cancels slow swings of the machine's load.
        $ov = @($Data['ours']['values']); $av = @($Data['against']['values'])
        if ($ov.Count -gt 1 -and $ov.Count -eq $av.Count) {
            $paired = for ($i = 0; $i -lt $ov.Count; $i++) { if ([double]$av[$i] -gt 0) { [double]$ov[$i] / [double]$av[$i] } }
            $row.paired_ratio = Get-SampleStats @($paired)
            if ($null -eq $row.diagnostics) { $row.diagnostics = [ordered]@{} }
            $row.diagnostics['ratio of each adjacent pair of repetitions'] = $row.paired_ratio
        }
    }
    if ($spec.Test) { $row.met = [bool](& $spec.Test ([pscustomobject]$row)) }
    $row
}

$rows = [Collections.Generic.List[object]]::new()
$order = @('unary', 'process', 'server-stream', 'client-stream', 'go-unary', 'go-stream',
    'cold-script', 'cold-script-r2r', 'cold-go', 'cold-import', 'cold-start', 'cold-call', 'cold-stop', 'cold-calls-1k', 'cold-calls-10k',
    'codec-small-encode', 'codec-small-decode', 'codec-medium-encode', 'codec-medium-decode', 'codec-large-encode', 'codec-large-decode',
    'start-testplugin', 'start-go', 'start-go-host', 'memory-managed', 'memory-private', 'soak-heap', 'soak-handles', 'scale')
$order += 'churn-heap', 'churn-assemblies', 'churn-threads', 'churn-fds'
foreach ($id in $order) {
    if ($id.StartsWith('codec-')) {
        if (-not (& $wants 'codec')) { continue }
        $parts = $id.Split('-')
        $data = $null
        if ($codecResult) {
            $pick = { param($impl) $codecResult.results | Where-Object { $_.message -eq $parts[1] -and $_.direction -eq $parts[2] -and $_.impl -eq $impl } | Select-Object -First 1 }
            $dyn = & $pick 'dynamic'; $gen = & $pick 'generated'
            $info = $codecResult.messages.($parts[1])
            $toSide = { param($x, $what) @{ what = $what; n = $x.n; reps = $x.n; stats = @{ median = $x.median_ns; p10 = $x.p10_ns; p90 = $x.p90_ns; min = $x.min_ns; max = $x.max_ns } } }
            if ($dyn -and $gen -and $dyn.ok -and $gen.ok) {
                $data = @{
                    unit = 'ns/op'
                    ours = & $toSide $dyn "DynamicCodec.$((Get-Culture).TextInfo.ToTitleCase($parts[2]))"
                    against = & $toSide $gen $(if ($parts[2] -eq 'encode') { 'generated ToByteArray' } else { 'generated Parser.ParseFrom' })
                    diagnostics = [ordered]@{ message = "$($info.type), $($info.bytes) bytes encoded, $($info.set_fields) fields set"; 'allocated bytes/op dynamic vs generated' = "$($dyn.allocated_bytes) vs $($gen.allocated_bytes)" }
                }
            } else { $data = @{ error = 'BenchmarkDotNet gave no result for it' } }
        }
        $rows.Add((New-Row $id $data))
        continue
    }
    $group = switch -Wildcard ($id) { 'go-*' { 'go' } 'cold-*' { 'cold' } 'start-*' { 'start' } 'memory-*' { 'memory' } 'soak-*' { 'soak' } default { $id } }
    if (-not (& $wants $group)) { continue }
    $data = if ($group -eq 'cold') { if ($coldData -and $coldData.rows.Contains($id)) { $coldData.rows[$id] } else { $null } } elseif ($sessionData -and $sessionData.rows.Contains($id)) { $sessionData.rows[$id] } elseif ($sessionData -and $sessionData.rows.Contains($group)) { $sessionData.rows[$group] } else { $null }
    $rows.Add((New-Row $id $data))
}
foreach ($row in $rows) { if ($row.error) { $failures.Add("$($row.id): $($row.error)") } }

# --- 7. output ----------------------------------------------------------------------------------------------------
function Format-Number([double] $Value) {
    $abs = [Math]::Abs($Value)
    if ($abs -ge 1000) { return $Value.ToString('N0', [cultureinfo]::InvariantCulture) }
    if ($abs -ge 100) { return $Value.ToString('0', [cultureinfo]::InvariantCulture) }
    if ($abs -ge 10) { return $Value.ToString('0.0', [cultureinfo]::InvariantCulture) }
    if ($abs -ge 0.1 -or $abs -eq 0) { return $Value.ToString('0.00', [cultureinfo]::InvariantCulture) }
    $Value.ToString('0.####', [cultureinfo]::InvariantCulture)
}
function Format-Side($Side) {
    if ($null -eq $Side) { return '—' }
    if ($Side.reps -le 1) { return (Format-Number $Side.median) }
    '{0} [{1}–{2}]' -f (Format-Number $Side.median), (Format-Number $Side.p10), (Format-Number $Side.p90)
}
function Format-Ratio($Row) {
    if ($null -eq $Row.ratio) { return '—' }
    $text = '{0}×' -f (Format-Number $Row.ratio)
    if ($Row.ratio -lt 0.5) { $text += ' (1/{0})' -f (Format-Number (1 / $Row.ratio)) }
    if ($Row.unit -eq 'ms') { $text += ' {0}{1} ms' -f $(if ($Row.difference -ge 0) { '+' } else { '' }), (Format-Number $Row.difference) }
    $text
}
function Get-Display($Row) {
    $firstLine = { param($t) $l = ("$t" -split "`r?`n")[0].Trim(); if ($l.Length -gt 160) { $l.Substring(0, 157) + '...' } else { $l } }
    $status = if ($Row.skipped) { "skipped: $($Row.skipped)" } elseif ($Row.error) { "error: $(& $firstLine $Row.error)" } else { $null }
    [pscustomobject]@{
        Row = $Row.name
        Ours = if ($status) { $status } else { Format-Side $Row.ours }
        Against = if ($status) { '' } else { Format-Side $Row.against }
        Unit = if ($status) { '' } else { $Row.unit }
        N = if ($status) { '' } elseif ($Row.against) { "$($Row.ours.N)/$($Row.against.N)" } else { "$($Row.ours.N)" }
        Ratio = if ($status) { '' } else { Format-Ratio $Row }
        Target = $Row.target
        Met = if ($null -eq $Row.met) { '—' } elseif ($Row.met) { 'yes' } else { 'NO' }
    }
}
$display = @($rows | ForEach-Object { Get-Display $_ })

$cpu = if (Test-Path /proc/cpuinfo) { ((Get-Content /proc/cpuinfo | Select-String -Pattern '^model name\s*:\s*(.*)$' | Select-Object -First 1).Matches.Groups[1].Value) } else { $null }
$commit = try { (& git -C $repo rev-parse --short HEAD 2>$null) + $(if (& git -C $repo status --porcelain 2>$null) { ' (dirty)' } else { '' }) } catch { $null }
$machine = [ordered]@{
    cores = [Environment]::ProcessorCount
    cpu = $cpu
    os = [Runtime.InteropServices.RuntimeInformation]::OSDescription
    runtime = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
    pwsh = $PSVersionTable.PSVersion.ToString()
    date = $started.ToString('yyyy-MM-ddTHH:mm:ssZ')
    load_average_at_start = $loadAtStart
    commit = $commit
}
$elapsed = ([DateTimeOffset]::UtcNow - $started).TotalSeconds
if ($ReportOnly) {
    # The run's own mode, date, load and duration, not this re-rendering's.
    if ($sessionData) { $Quick = [switch][bool]$sessionData.meta.quick }
    $previous = Join-Path $OutDir 'latest.json'
    if (Test-Path $previous) {
        $old = Get-Content -Raw $previous | ConvertFrom-Json
        $machine.date = $old.machine.date; $machine.load_average_at_start = $old.machine.load_average_at_start; $machine.commit = $old.machine.commit
        $elapsed = [double]$old.seconds
    }
}
$mode = if ($Quick) { 'quick' } else { 'full' }

Write-Host ''
Write-Host "RpcPlugin benchmarks ($mode) — $($machine.cores) cores, $($machine.os), $($machine.runtime), pwsh $($machine.pwsh), $($machine.date)" -ForegroundColor Cyan
Write-Host 'median [p10–p90] over repetitions; ratio = ours / against (time per operation); start rows also show ours − against.'
($display | Format-Table -AutoSize -Wrap | Out-String -Width 400).TrimEnd() | Write-Host
Write-Host ("{0:N0} s in all." -f $elapsed)

$document = [ordered]@{
    mode = $mode
    machine = $machine
    ratio = 'ours.median / against.median of time per operation: below 1 means ours is faster'
    seconds = [Math]::Round($elapsed, 1)
    session_meta = if ($sessionData) { $sessionData.meta } else { $null }
    cold_meta = if ($coldData) { $coldData.meta } else { $null }
    rows = $rows
    failures = $failures
}
$document | ConvertTo-Json -Depth 8 | Set-Content -Path (Join-Path $OutDir 'latest.json') -Encoding utf8

$md = [Text.StringBuilder]::new()
[void]$md.AppendLine("# RpcPlugin benchmarks ($mode)")
[void]$md.AppendLine()
[void]$md.AppendLine("$($machine.date) · $($machine.cores) cores ($($machine.cpu)) · $($machine.os) · $($machine.runtime) · pwsh $($machine.pwsh) · commit $($machine.commit) · load average at start $($machine.load_average_at_start) · $('{0:N0}' -f $elapsed) s")
[void]$md.AppendLine()
[void]$md.AppendLine('Every figure is measured side by side with its reference in the same run (interleaved repetitions): median [p10–p90] over repetitions; N = operations, ours/against; ratio = ours / against of time per operation (below 1: ours is faster).')
[void]$md.AppendLine()
[void]$md.AppendLine('| row | ours | against | unit | N | ratio | target | met |')
[void]$md.AppendLine('| --- | --- | --- | --- | --- | --- | --- | --- |')
foreach ($d in $display) {
    $cells = @($d.Row, $d.Ours, $d.Against, $d.Unit, $d.N, $d.Ratio, $d.Target, $d.Met) | ForEach-Object { "$_".Replace('|', '\|') }
    [void]$md.AppendLine('| ' + ($cells -join ' | ') + ' |')
}
[void]$md.AppendLine()
[void]$md.AppendLine('## What each row measures')
[void]$md.AppendLine()
foreach ($row in $rows) {
    $line = "- **$($row.name)**:"
    if ($row.note) { $line += " $($row.note)" }
    if ($row.ours) { $line += " Ours: $($row.ours.what)." }
    if ($row.against) { $line += " Against: $($row.against.what)." }
    if ($row.diagnostics) {
        $diag = @($row.diagnostics.GetEnumerator() | ForEach-Object {
            $v = $_.Value
            if ($v -is [System.Collections.IDictionary] -and $v.Contains('median')) { $v = '{0} [{1}–{2}]' -f (Format-Number $v['median']), (Format-Number $v['p10']), (Format-Number $v['p90']) }
            "$($_.Key): $v"
        })
        $line += ' Diagnostics: ' + ($diag -join '; ') + '.'
    }
    [void]$md.AppendLine($line)
}
if ($failures.Count -gt 0) {
    [void]$md.AppendLine()
    [void]$md.AppendLine('## Failures')
    foreach ($f in $failures) { [void]$md.AppendLine("- $f") }
}
[void]$md.AppendLine()
[void]$md.AppendLine("Raw samples: sessions.json, cold.json; BenchmarkDotNet reports: codec/. Reproduce: ``dotnet pwsh bench/Invoke-Benchmarks.ps1 -ModulePath <psd1> -TestPlugin <TestPlugin> -PeersDir <peers> -OutDir <dir>$(if ($Quick) { ' -Quick' })``.")
Set-Content -Path (Join-Path $OutDir 'latest.md') -Value $md.ToString() -Encoding utf8
Write-Host "Wrote $(Join-Path $OutDir 'latest.json') and latest.md"

if ($failures.Count -gt 0) {
    Write-Host "Benchmark harness failures:" -ForegroundColor Red
    foreach ($f in $failures) { Write-Host "  $f" -ForegroundColor Red }
    exit 1
}
exit 0
