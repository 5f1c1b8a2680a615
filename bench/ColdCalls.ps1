#Requires -Version 7.4
<#
.SYNOPSIS
    The first calls of a fresh pwsh, for the cold rows: run by Measure-Cold.ps1 as a whole process.

.DESCRIPTION
    Imports the module and starts go-echo-plugin (AutoMTLS; not timed), then times calls 1 to -Calls of
    goecho.Echo/Unary in a foreach loop (the same loop as the warm go-unary row) in batches of -Batch, makes -Warm
    more calls untimed and times -Steady more: the steady state of this same process. Prints one line of JSON:
    µs per call of each batch and of the steady run, and the plugin's pid (the caller checks it is gone).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $PluginPath,
    [int] $Calls = 10000,
    [int] $Batch = 1000,
    [int] $Warm = 10000,
    [int] $Steady = 2000
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$session = Start-RpcPlugin $PluginPath -MagicCookieKey ECHO_PLUGIN -MagicCookieValue go-echo -ProtocolVersion 2
try {
    $batches = [Collections.Generic.List[double]]::new()
    for ($done = 0; $done -lt $Calls; $done += $n) {
        $n = [Math]::Min($Batch, $Calls - $done)
        $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
        foreach ($i in 1..$n) { $null = Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'x' } }
        $batches.Add([Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $n)
    }
    if ($Warm -gt 0) { foreach ($i in 1..$Warm) { $null = Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'x' } } }
    $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
    foreach ($i in 1..$Steady) { $null = Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'x' } }
    $steadyUs = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $Steady
    $reply = Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'last' }
    if ($reply.text -ne 'last') { throw "goecho.Echo/Unary replied '$($reply.text)'." }
} finally {
    Stop-RpcPlugin $session
}
$list = ($batches | ForEach-Object { $_.ToString('0.###', [cultureinfo]::InvariantCulture) }) -join ','
[Console]::Out.WriteLine([string]::Format([cultureinfo]::InvariantCulture,
    '{{"batch":{0},"batches_us":[{1}],"steady_us":{2:0.###},"pid":{3}}}', $Batch, $list, $steadyUs, $session.ProcessId))
