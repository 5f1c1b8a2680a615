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

function Read-Results([string] $Path) {
    # A measuring script's JSON results, or nothing when it wrote none.
    if (Test-Path $Path) { Get-Content -Raw $Path | ConvertFrom-Json -AsHashtable }
}

# --- 3. cold (each sample a new process) ---------------------------------------------------------------------------
$coldFile = Join-Path $OutDir 'cold.json'
$coldData = $null
if ($ReportOnly) {
    $coldData = Read-Results $coldFile
} elseif (& $wants 'cold') {
    Write-Host "== Cold ($(if ($Quick) { 'quick' } else { 'full' }))" -ForegroundColor Cyan
    Remove-Item $coldFile -ErrorAction SilentlyContinue
    $coldArgs = @{ ModulePath = $ModulePath; ResultFile = $coldFile; Quick = [bool]$Quick }
    if ($PeersDir) { $coldArgs.PeersDir = $PeersDir }
    & (Join-Path $PSScriptRoot 'Measure-Cold.ps1') @coldArgs
    $coldData = Read-Results $coldFile
    if (-not $coldData) { $failures.Add('cold: Measure-Cold.ps1 wrote no results') }
}

# --- 4. sessions (fresh pwsh) -------------------------------------------------------------------------------------
$sessionsFile = Join-Path $OutDir 'sessions.json'
if (-not $ReportOnly) { Remove-Item $sessionsFile -ErrorAction SilentlyContinue }
$sessionRows = @('unary', 'process', 'server-stream', 'client-stream', 'go', 'start', 'memory', 'soak', 'scale')
$sessionData = $null
if ($ReportOnly) {
    $sessionData = Read-Results $sessionsFile
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
        $sessionData = Read-Results $sessionsFile
        if ($sessionData.meta.Contains('fatal')) { $failures.Add("sessions: $($sessionData.meta.fatal)") }
    }
}

# --- 5. churn (fresh pwsh): many short sessions in one process; its rows join the session rows ------------------
$churnFile = Join-Path $OutDir 'churn.json'
$churnData = $null
if ($ReportOnly) {
    $churnData = Read-Results $churnFile
} elseif (& $wants 'churn') {
    Write-Host "== Churn ($(if ($Quick) { 'quick' } else { 'full' }))" -ForegroundColor Cyan
    Remove-Item $churnFile -ErrorAction SilentlyContinue
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Measure-Churn.ps1') `
        -ModulePath $ModulePath -TestPlugin $TestPlugin -ResultFile $churnFile -Quick:$Quick | Out-Host
    $churnData = Read-Results $churnFile
    if (-not $churnData) { $failures.Add("churn: Measure-Churn.ps1 wrote no results (exit code $LASTEXITCODE)") }
}
if ($churnData) {
    if (-not $sessionData) { $sessionData = @{ meta = [ordered]@{ quick = [bool]$Quick }; rows = [ordered]@{} } }
    foreach ($entry in $churnData.rows.GetEnumerator()) { $sessionData.rows[$entry.Key] = $entry.Value }
    $sessionData.meta['churn'] = $churnData.meta
}

# --- 6. rows ------------------------------------------------------------------------------------------------------
. (Join-Path $PSScriptRoot 'BenchRows.ps1')  # $specs: each row's name, target, test and note

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
