# Dot-sourced by every tests/Windows/InWine/*.Tests.ps1 (in BeforeAll). These files run inside the Windows
# PowerShell host under Wine; Invoke-WindowsLane.ps1 sets the RPCPLUGIN_WIN_* variables (Windows paths, Z: being
# the Linux root).

Import-Module $env:RPCPLUGIN_WIN_MODULE -Force
. (Join-Path $PSScriptRoot '../Wait-Until.ps1')
$Peers = $env:RPCPLUGIN_WIN_PEERS
$GoEcho = Join-Path $Peers 'go-echo-plugin.exe'
$TestPlugin = $env:RPCPLUGIN_WIN_TESTPLUGIN
$Pki = $env:RPCPLUGIN_WIN_PKI
# Why tests of a peer skip, if they do (Pester evaluates -Skip at discovery, so the files test these first).
$NoGoPeers = -not (Test-Path $GoEcho)
$NoTestPlugin = -not $TestPlugin

# go-echo-plugin's handshake (tests/peers): cookie ECHO_PLUGIN=go-echo, version 2 serves goecho.Echo. AutoMTLS
# is off: Wine cannot make its key (docs/process-control.md).
$GoEchoParameters = @{ MagicCookieKey = 'ECHO_PLUGIN'; MagicCookieValue = 'go-echo'; ProtocolVersion = 2; NoAutoMtls = $true; StartTimeout = 60 }

function Start-GoEcho {
    param([string] $Path = $GoEcho, [hashtable] $Parameters = @{})
    $splat = $GoEchoParameters.Clone()
    foreach ($key in $Parameters.Keys) { $splat[$key] = $Parameters[$key] }
    Start-RpcPlugin $Path @splat
}

function Start-WinTestPlugin {
    # The C# test plugin, built for win-x64: tcp (go-plugin's only network on Windows), plaintext.
    param([string] $Mode, [hashtable] $Environment = @{}, [hashtable] $Parameters = @{})
    $variables = @{ TESTPLUGIN_NETWORK = 'tcp' } + $Environment
    if ($Mode) { $variables.TESTPLUGIN_MODE = $Mode }
    $splat = @{ ProtocolVersion = 1, 2; Environment = $variables; NoAutoMtls = $true; StartTimeout = 60 }
    foreach ($key in $Parameters.Keys) { $splat[$key] = $Parameters[$key] }
    Start-RpcPlugin $TestPlugin @splat
}

function Get-GoStartLog {
    # go-echo-plugin's first log line: the arguments and working directory as the Go runtime parsed them. It is
    # written on stderr before the handshake on stdout, and the two pipes are read independently: wait for it.
    param([Parameter(Mandatory)] $Session)
    $null = Wait-Until { Get-RpcPluginLog $Session | Where-Object Message -eq 'plugin started' }
    Get-RpcPluginLog $Session | Where-Object Message -eq 'plugin started' | Select-Object -First 1
}

function Test-ProcessGone {
    param([Parameter(Mandatory)] [int] $Id)
    $process = Get-Process -Id $Id -ErrorAction SilentlyContinue
    -not $process -or $process.HasExited
}

function Wait-ProcessGone {
    # Waits (generously: Wine on a shared machine is slow) until the process is gone; returns whether it is.
    param([Parameter(Mandatory)] [int] $Id, [double] $Seconds = 10)
    Wait-Until { Test-ProcessGone $Id } -Seconds $Seconds
}

function New-LaneDirectory {
    # A fresh directory on drive C: (inside the Wine prefix), optionally with spaces in its name.
    param([string] $Name = 'lane')
    $path = Join-Path 'C:\rpcplugin-lane' "$Name-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    (New-Item -ItemType Directory -Force $path).FullName
}

function Start-ChildHost {
    # Starts another Windows host (as a user would start another pwsh) running a script; returns the process.
    # Its output goes to $OutputFile.
    param([Parameter(Mandatory)] [string] $Script, [Parameter(Mandatory)] [string] $OutputFile)
    $file = Join-Path (New-LaneDirectory 'child') 'child.ps1'
    Set-Content $file $Script
    Start-Process -FilePath $env:RPCPLUGIN_WIN_PWSH -ArgumentList '-NoProfile', '-NonInteractive', '-File', "`"$file`"" -PassThru `
        -RedirectStandardOutput $OutputFile -NoNewWindow
}
