<#
.SYNOPSIS
    A tour of RpcPlugin against the example KV plugin (examples/KvPlugin): start, discover its methods, call them,
    check its health, read its log, stop.

.EXAMPLE
    dotnet pwsh ./build.ps1 Demo
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/RpcPlugin/RpcPlugin.psd1'),
    [string] $PluginPath = (Join-Path $PSScriptRoot '../out/examples/KvPlugin/KvPlugin')
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Show-Step([string] $Text) { Write-Host "`n>> $Text" -ForegroundColor Cyan }

Show-Step 'Start the plugin (AutoMTLS over a unix socket); go-plugin''s example cookie is BASIC_PLUGIN=hello'
$kv = Start-RpcPlugin $PluginPath -Name kv -MagicCookieKey BASIC_PLUGIN -MagicCookieValue hello
$kv | Format-Table | Out-Host

try {
    Show-Step 'Is it healthy? (grpc.health.v1, service "plugin")'
    Test-RpcPlugin $kv -Detailed | Format-Table | Out-Host

    Show-Step 'What does it serve? (server reflection; no stubs, no .proto needed)'
    Get-RpcPluginMethod -Session $kv | Format-Table | Out-Host

    Show-Step 'A request skeleton for proto.KV/Put'
    New-RpcPluginMessage proto.KV/Put -Session $kv | Out-Host

    Show-Step 'Put two values (pipeline input: one call each), then read one back'
    @{ key = 'greeting'; value = [Text.Encoding]::UTF8.GetBytes('hello') }, @{ key = 'answer'; value = [byte[]](42) } |
        Invoke-RpcPluginMethod $kv proto.KV/Put
    $reply = Invoke-RpcPluginMethod $kv proto.KV/Get @{ key = 'greeting' }
    $reply | Format-List | Out-Host
    "value as text: " + [Text.Encoding]::UTF8.GetString($reply.value) | Out-Host
    'as proto3 JSON: ' + (Invoke-RpcPluginMethod $kv proto.KV/Get @{ key = 'answer' } -AsJson) | Out-Host
    if ([Text.Encoding]::UTF8.GetString($reply.value) -ne 'hello') { throw 'The KV plugin did not return what was stored.' }

    Show-Step 'What did the plugin log? (hclog JSON from its stderr, parsed)'
    Get-RpcPluginLog $kv | Format-Table | Out-Host

    Show-Step 'Sessions of this runspace'
    Get-RpcPlugin | Format-Table | Out-Host
}
finally {
    Show-Step 'Stop it: Shutdown RPC, wait, then kill the process tree if needed'
    $kv | Stop-RpcPlugin -PassThru | Format-Table Id, Name, State, ExitCode, ExitTime | Out-Host
}

if ((Get-RpcPlugin) -or -not $kv.ExitTime) { throw 'The demo left a plugin session behind.' }
Write-Host 'Demo finished: the plugin is stopped and nothing is left running.' -ForegroundColor Green
