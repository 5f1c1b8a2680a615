#Requires -Version 7.4
<#
.SYNOPSIS
    The churn soak of the benchmarks, run by Invoke-Benchmarks.ps1 in a fresh pwsh: many short sessions, one after
    the other, in one process, as a scheduler or monitoring loop that starts a plugin every minute would make them.
    Not meant to be called directly.

.DESCRIPTION
    Each cycle starts the test plugin, makes a few calls whose responses use every kind of record (nested messages,
    maps with integer and bool keys, a oneof, an Any), and stops it. After warm-up cycles it samples, after a full
    garbage collection, the managed heap, the loaded assemblies (and among them the emitted response types), the
    threads and the open file descriptors; then again at checkpoints through the run. Growth from the first sample to
    the last is the result: flat means nothing is kept per session. Writes -ResultFile as JSON (rows churn-heap,
    churn-assemblies, churn-threads, churn-fds, in Measure-Sessions.ps1's format). Every plugin is stopped; a
    straggler is killed and counted.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TestPlugin,
    [switch] $Quick,
    [Parameter(Mandatory)] [string] $ResultFile,
    # Cycles after the warm-up (default 500, quick 10), and a checkpoint every this many.
    [int] $Cycles,
    [int] $CheckpointEvery
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')

$cycles = if ($Cycles) { $Cycles } elseif ($Quick) { 10 } else { 500 }
$warmup = if ($Quick) { 3 } else { 20 }
$checkpointEvery = if ($CheckpointEvery) { $CheckpointEvery } elseif ($Quick) { 5 } else { 50 }
$TestPlugin = (Resolve-Path $TestPlugin).Path
$ModulePath = (Resolve-Path $ModulePath).Path
$tracked = [Collections.Generic.List[int]]::new()
$rows = [ordered]@{}
$meta = [ordered]@{ quick = [bool]$Quick; cycles = $cycles; warmup = $warmup }

function Get-Probe {
    # Everything sampled at a checkpoint, the heap after a full collection.
    $assemblies = [AppDomain]::CurrentDomain.GetAssemblies()
    [pscustomobject]@{
        HeapMb = (Get-ManagedHeap) / 1MB
        Assemblies = $assemblies.Count
        MessageTypes = @($assemblies | Where-Object { $_.IsDynamic -and $_.GetName().Name -like 'RpcPlugin.Messages.*' }).Count
        Threads = [Diagnostics.Process]::GetCurrentProcess().Threads.Count
        Fds = Get-OpenHandleCount -ExceptAssemblies
    }
}

function Invoke-Cycle([int] $Number) {
    $session = Start-RpcPlugin $TestPlugin -Name "churn$Number" -ProtocolVersion 1, 2 -StartTimeout 60
    $tracked.Add($session.ProcessId)
    try {
        $all = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{
            f_nested = @{ name = 'n'; child = @{ name = 'c' } }; m_nested = @{ 7 = @{ name = 'seven' } }; m_bool = @{ $true = 'yes' }
            mk_uint64 = @{ 18446744073709551615 = 'max' }; o_string = 'x'; w_timestamp = '2024-12-31T23:59:59.99999999Z'
            w_any = @{ '@type' = 'type.googleapis.com/testplugin.Nested'; name = 'packed' }; w_struct = @{ a = 1 }
        }
        if ($all.m_nested[7].name -ne 'seven') { throw "cycle ${Number}: EchoAll did not echo its map" }
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ o_int32 = 1 } -AsHashtable
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'u' }
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/GetInfo
    } finally {
        $session | Stop-RpcPlugin -WarningAction SilentlyContinue
    }
}

function New-Sample([string] $What, [double] $Value, [long] $Operations) {
    [ordered]@{ what = $What; n = $Operations; reps = 1; values = @($Value); stats = Get-SampleStats @($Value) }
}

$clock = [Diagnostics.Stopwatch]::StartNew()
try {
    Import-Module $ModulePath
    Write-Host "-- churn: $warmup warm-up cycles, then $cycles" -ForegroundColor Cyan
    for ($i = 1; $i -le $warmup; $i++) { Invoke-Cycle -Number $i }
    $null = Get-Probe # its own first run compiles and caches what later samples would count
    $first = Get-Probe
    $samples = [Collections.Generic.List[object]]::new()
    $samples.Add([pscustomobject]@{ Cycle = 0; Probe = $first })
    for ($i = 1; $i -le $cycles; $i++) {
        Invoke-Cycle -Number ($warmup + $i)
        if ($i % $checkpointEvery -eq 0 -or $i -eq $cycles) {
            $probe = Get-Probe
            $samples.Add([pscustomobject]@{ Cycle = $i; Probe = $probe })
            Write-Host ("  {0}/{1} sessions: heap {2:N2} MB, {3} assemblies ({4} response types), {5} threads, {6} fds" -f `
                $i, $cycles, $probe.HeapMb, $probe.Assemblies, $probe.MessageTypes, $probe.Threads, $probe.Fds) -ForegroundColor DarkGray
        }
    }
    $last = $samples[-1].Probe
    $seconds = [Math]::Round($clock.Elapsed.TotalSeconds, 1)
    $series = { param($name, $format) ($samples | ForEach-Object { "{0}: $format" -f $_.Cycle, $_.Probe.$name }) -join '; ' }
    # Least-squares slope of the heap over the checkpoints: less sensitive to one noisy sample than last - first.
    $xs = @($samples | ForEach-Object { [double]$_.Cycle }); $ys = @($samples | ForEach-Object { [double]$_.Probe.HeapMb })
    $mx = ($xs | Measure-Object -Average).Average; $my = ($ys | Measure-Object -Average).Average
    $sxx = 0.0; $sxy = 0.0
    for ($k = 0; $k -lt $xs.Count; $k++) { $sxx += ($xs[$k] - $mx) * ($xs[$k] - $mx); $sxy += ($xs[$k] - $mx) * ($ys[$k] - $my) }
    $slope = if ($sxx -gt 0) { $sxy / $sxx * 100 } else { 0 }
    $rows['churn-heap'] = [ordered]@{
        ours = New-Sample "managed heap growth after GC over $cycles start/call/stop cycles (after $warmup warm-up cycles, before: $('{0:N2}' -f $first.HeapMb) MB)" ($last.HeapMb - $first.HeapMb) $cycles
        unit = 'MB'; seconds = $seconds
        diagnostics = [ordered]@{
            'heap after GC by session (MB)' = & $series 'HeapMb' '{1:N2}'
            'heap slope (MB per 100 sessions, least squares)' = [Math]::Round($slope, 3)
            'seconds per cycle' = [Math]::Round($seconds / ($cycles + $warmup), 2)
        }
    }
    $rows['churn-assemblies'] = [ordered]@{
        ours = New-Sample "loaded assemblies growth over the same cycles (before: $($first.Assemblies), of them $($first.MessageTypes) emitted response types)" ($last.Assemblies - $first.Assemblies) $cycles
        unit = 'assemblies'; seconds = $seconds
        diagnostics = [ordered]@{
            'emitted response types by session' = & $series 'MessageTypes' '{1}'
            'loaded assemblies by session' = & $series 'Assemblies' '{1}'
        }
    }
    $rows['churn-threads'] = [ordered]@{
        ours = New-Sample "threads growth over the same cycles (before: $($first.Threads))" ($last.Threads - $first.Threads) $cycles
        unit = 'threads'; seconds = $seconds
        diagnostics = [ordered]@{ 'threads by session' = & $series 'Threads' '{1}' }
    }
    $rows['churn-fds'] = [ordered]@{
        ours = New-Sample "open file descriptors growth over the same cycles, those of loaded assembly files left out (the assembly row counts them; before: $($first.Fds))" ($last.Fds - $first.Fds) $cycles
        unit = 'fds'; seconds = $seconds
        diagnostics = [ordered]@{ 'open fds by session' = & $series 'Fds' '{1}' }
    }
} catch {
    $message = "$($_.Exception.Message) ($($_.InvocationInfo.ScriptName):$($_.InvocationInfo.ScriptLineNumber))"
    Write-Host "   error: $message" -ForegroundColor Red
    foreach ($id in 'churn-heap', 'churn-assemblies', 'churn-threads', 'churn-fds') { $rows[$id] = [ordered]@{ error = $message } }
} finally {
    if (Get-Module RpcPlugin) { Get-RpcPlugin | Stop-RpcPlugin -Force -ErrorAction SilentlyContinue -WarningAction SilentlyContinue }
    $left = @($tracked | Where-Object { Test-ProcessAlive $_ })
    foreach ($id in $left) { Write-Host "  killing straggler pid $id" -ForegroundColor Yellow; Stop-ProcessTree $id -GraceMilliseconds 500 }
    $meta['stragglers_killed'] = $left.Count
    $meta['processes_started'] = $tracked.Count
    [ordered]@{ meta = $meta; rows = $rows } | ConvertTo-Json -Depth 8 | Set-Content -Path $ResultFile -Encoding utf8
}
