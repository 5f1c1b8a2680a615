# Dot-sourced by every Pester file (in BeforeAll): imports the built module and gives the tests a few helpers.
# build.ps1 sets the RPCPLUGIN_* variables; running a file by hand after `build.ps1 Build` works too.

$repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
if (-not $env:RPCPLUGIN_MODULE) { $env:RPCPLUGIN_MODULE = Join-Path $repoRoot 'out/RpcPlugin/RpcPlugin.psd1' }
if (-not $env:RPCPLUGIN_TESTPLUGIN) { $env:RPCPLUGIN_TESTPLUGIN = Join-Path $repoRoot 'out/TestPlugin/TestPlugin' }
if (-not $env:RPCPLUGIN_KVPLUGIN) { $env:RPCPLUGIN_KVPLUGIN = Join-Path $repoRoot 'out/examples/KvPlugin/KvPlugin' }

Import-Module $env:RPCPLUGIN_MODULE -Force
$TestPlugin = $env:RPCPLUGIN_TESTPLUGIN

function Start-TestPlugin {
    # Starts the test plugin with a misbehaviour mode and network; -Parameters go to Start-RpcPlugin as they are.
    param(
        [string] $Mode,
        [ValidateSet('unix', 'tcp')] [string] $Network = 'unix',
        [hashtable] $Environment = @{},
        [hashtable] $Parameters = @{}
    )
    $variables = @{ TESTPLUGIN_NETWORK = $Network } + $Environment
    if ($Mode) { $variables.TESTPLUGIN_MODE = $Mode }
    $splat = @{ ProtocolVersion = 1, 2; Environment = $variables; StartTimeout = 30 }
    foreach ($key in $Parameters.Keys) { $splat[$key] = $Parameters[$key] }
    Start-RpcPlugin $TestPlugin @splat
}

function Test-ProcessGone {
    # True when the process no longer exists (a zombie waiting to be reaped counts as gone).
    param([Parameter(Mandatory)] [int] $Id)
    $stat = "/proc/$Id/stat"
    if (-not (Test-Path $stat)) { return $true }
    $text = try { Get-Content -Raw $stat -ErrorAction Stop } catch { return $true }
    $text.Substring($text.LastIndexOf(')') + 2).StartsWith('Z')
}

function Wait-ProcessGone {
    # Waits (generously: these machines are shared) until the process is gone; returns whether it is.
    param([Parameter(Mandatory)] [int] $Id, [double] $Seconds = 10)
    $until = [datetime]::UtcNow.AddSeconds($Seconds)
    while (-not (Test-ProcessGone $Id)) {
        if ([datetime]::UtcNow -gt $until) { return $false }
        Start-Sleep -Milliseconds 50
    }
    $true
}

function Wait-Until {
    param([Parameter(Mandatory)] [scriptblock] $Condition, [double] $Seconds = 10)
    $until = [datetime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([datetime]::UtcNow -gt $until) { return $false }
        Start-Sleep -Milliseconds 50
    }
    $true
}

function Get-PwshCommand {
    # How to start another pwsh like the one running the tests (build.ps1 passes it; `dotnet pwsh` needs two words).
    if ($env:RPCPLUGIN_PWSH) { return , ($env:RPCPLUGIN_PWSH -split [IO.Path]::PathSeparator) }
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, [Environment]::GetCommandLineArgs()[0]) } else { , @($process) }
}

function New-TestRunspace {
    # A runspace with the module imported, for tests of per-runspace state.
    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $ps = [powershell]::Create($runspace)
    $null = $ps.AddScript("Import-Module '$env:RPCPLUGIN_MODULE'; `$TestPlugin = '$TestPlugin'").Invoke()
    $ps.Dispose()
    $runspace
}

function Invoke-InRunspace {
    param([Parameter(Mandatory)] $Runspace, [Parameter(Mandatory)] [string] $Script)
    $ps = [powershell]::Create($Runspace)
    try {
        $output = $ps.AddScript($Script).Invoke()
        if ($ps.HadErrors) { throw ($ps.Streams.Error | Select-Object -First 1) }
        $output
    } finally { $ps.Dispose() }
}
