#Requires -Version 7.4
<#
.SYNOPSIS
    The one-shot script of the cold rows: what a cron job or CI step does in a fresh pwsh. Run by
    Measure-Cold.ps1 as a whole process (never imported by anything else).

.DESCRIPTION
    Import-Module, Start-RpcPlugin of go-echo-plugin (AutoMTLS), one unary call, Stop-RpcPlugin. Prints one line of
    JSON: the time of each phase (ms since the script began), how many methods the JIT compiled in each, the
    plugin's pid (the caller checks it is gone) and whether the module's assemblies came from a ReadyToRun folder.
    The JSON is written with string formatting, not ConvertTo-Json, and nothing here uses a cmdlet the script
    would not otherwise need, so that measuring adds next to nothing to the process being measured.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $PluginPath
)

$ErrorActionPreference = 'Stop'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$jit = [long[]]::new(5)
$at = [double[]]::new(5)
$jit[0] = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)

Import-Module $ModulePath
$at[1] = $clock.Elapsed.TotalMilliseconds; $jit[1] = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
$session = Start-RpcPlugin $PluginPath -MagicCookieKey ECHO_PLUGIN -MagicCookieValue go-echo -ProtocolVersion 2
try {
    $at[2] = $clock.Elapsed.TotalMilliseconds; $jit[2] = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
    $reply = Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'x' }
    $at[3] = $clock.Elapsed.TotalMilliseconds; $jit[3] = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
} finally {
    Stop-RpcPlugin $session
}
$at[4] = $clock.Elapsed.TotalMilliseconds; $jit[4] = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
if ($reply.text -ne 'x') { throw "goecho.Echo/Unary replied '$($reply.text)'." }

# Plain .NET calls, no pipeline cmdlets: Select-Object would import Microsoft.PowerShell.Utility into the run.
$readyToRun = $false
foreach ($assembly in [AppDomain]::CurrentDomain.GetAssemblies()) {
    if ($assembly.GetName().Name -eq 'RpcPlugin.Core') { $readyToRun = $assembly.Location.Contains('ReadyToRun') }
}
[Console]::Out.WriteLine([string]::Format([cultureinfo]::InvariantCulture,
    '{{"import_ms":{0:0.###},"start_ms":{1:0.###},"call_ms":{2:0.###},"stop_ms":{3:0.###},"jit_before":{4},"jit_import":{5},"jit_start":{6},"jit_call":{7},"jit_stop":{8},"pid":{9},"ready_to_run":{10}}}',
    $at[1], ($at[2] - $at[1]), ($at[3] - $at[2]), ($at[4] - $at[3]),
    $jit[0], ($jit[1] - $jit[0]), ($jit[2] - $jit[1]), ($jit[3] - $jit[2]), ($jit[4] - $jit[3]),
    $session.ProcessId, $readyToRun.ToString().ToLowerInvariant()))
