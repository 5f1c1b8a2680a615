<#
.SYNOPSIS
    Drives a Terraform provider that is already running - started under a debugger - through TF_REATTACH_PROVIDERS.

.DESCRIPTION
    A Terraform provider started in debug mode (`terraform-provider-foo -debug`, or from your IDE's debugger with
    the SDK's debug flag) does not exit: it prints a TF_REATTACH_PROVIDERS value for Terraform to use instead of
    starting the provider itself. This script uses the same value to attach PowerShell to the running provider with
    Connect-RpcPlugin: no handshake, no process start, and the provider keeps running afterwards - so you can call
    its RPCs directly, with breakpoints set in the provider, between `terraform plan` runs.

    For every provider in the value (or the one -Provider names) it:
      1. attaches (Connect-RpcPlugin -ReattachConfig <value> -Name <provider>): a session that does not own the
         process;
      2. checks the provider's gRPC health and that its process is alive;
      3. lists the methods it serves (from server reflection, or from -ProtoFile: Terraform providers serve no
         reflection, so pass tfplugin5.proto or tfplugin6.proto from the terraform repository);
      4. makes the calls in -Call, printing each reply as proto3 JSON;
      5. detaches (Stop-RpcPlugin on an unowned session closes the connection only) and checks the provider is
         still running.

    Defaults fit the stand-in provider used in this repository's tests (no provider is reachable offline):
    HashiCorp go-plugin's KV example plugin kept running by tests/peers' go-host (`go-host reattach kv
    go-kv-plugin` prints a TF_REATTACH_PROVIDERS value), which serves proto.KV without reflection: -ProtoFile is
    protos/examples/kv.proto and the calls put and get a key.

.PARAMETER ReattachProviders
    The TF_REATTACH_PROVIDERS value: JSON mapping provider addresses to go-plugin reattach configs, e.g.
    {"registry.terraform.io/hashicorp/aws":{"Protocol":"grpc","ProtocolVersion":5,"Pid":1234,"Test":true,
    "Addr":{"Network":"unix","String":"/tmp/plugin123"}}}. Default: $env:TF_REATTACH_PROVIDERS.

.PARAMETER Provider
    Which provider(s) of the value to drive: a full address (registry.terraform.io/hashicorp/aws), its tail
    (hashicorp/aws) or a wildcard pattern. Default: all of them.

.PARAMETER ProtoFile
    The .proto files describing the provider's service, for providers without server reflection (all Terraform
    providers): e.g. tfplugin6.proto. Default: this repository's protos/examples/kv.proto (the stand-in's service).
    Pass @() for a plugin that serves reflection.

.PARAMETER ImportPath
    Where imports of -ProtoFile are resolved. Default: this repository's protos directory.

.PARAMETER Call
    The calls to make, in order: hashtables with Method and optionally Request (a hashtable, object or JSON).
    Default: proto.KV/Put of key "terraform", then proto.KV/Get of it.

.PARAMETER ModulePath
    The RpcPlugin module: a path to RpcPlugin.psd1, or 'RpcPlugin' when installed. Default: this repository's
    out/RpcPlugin, else the installed module.

.PARAMETER PassThru
    Write one summary object per provider to the pipeline.

.EXAMPLE
    # Terminal 1: go-plugin's KV example, kept running the way a debugged provider is
    out/peers/go-host reattach kv out/peers/go-kv-plugin
    # Terminal 2:
    $env:TF_REATTACH_PROVIDERS = (<the line above> | ConvertFrom-Json).tf_reattach_providers
    ./examples/terraform-reattach.ps1

.EXAMPLE
    # A real provider in debug mode (terraform-plugin-framework / SDKv2 with -debug):
    $env:TF_REATTACH_PROVIDERS = '{"registry.terraform.io/hashicorp/random":{"Protocol":"grpc","ProtocolVersion":6,"Pid":4242,"Test":true,"Addr":{"Network":"unix","String":"/tmp/plugin1234"}}}'
    ./examples/terraform-reattach.ps1 -Provider hashicorp/random -ProtoFile ./tfplugin6.proto -ImportPath . -Call @(
        @{ Method = 'tfplugin6.Provider/GetProviderSchema' }
        @{ Method = 'tfplugin6.Provider/ValidateProviderConfig'; Request = @{ config = @{ msgpack = [byte[]](0x80) } } }
    )

    Asks a debugged provider for its schema, then validates an empty configuration.
#>
#Requires -Version 7.4
[CmdletBinding()]
param(
    [string] $ReattachProviders = $env:TF_REATTACH_PROVIDERS,
    [string] $Provider = '*',
    [string[]] $ProtoFile = @(Join-Path $PSScriptRoot '../protos/examples/kv.proto'),
    [string[]] $ImportPath = @(Join-Path $PSScriptRoot '../protos'),
    [object[]] $Call = @(
        @{ Method = 'proto.KV/Put'; Request = @{ key = 'terraform'; value = [Text.Encoding]::UTF8.GetBytes('set from PowerShell') } }
        @{ Method = 'proto.KV/Get'; Request = @{ key = 'terraform' } }
    ),
    [string] $ModulePath = $(
        $built = Join-Path $PSScriptRoot '../out/RpcPlugin/RpcPlugin.psd1'
        if (Test-Path $built) { (Resolve-Path $built).Path } else { 'RpcPlugin' }
    ),
    [switch] $PassThru
)

$ErrorActionPreference = 'Stop'
if (-not $ReattachProviders) {
    throw 'No TF_REATTACH_PROVIDERS value: set $env:TF_REATTACH_PROVIDERS to what the provider printed when started with -debug, or pass -ReattachProviders.'
}
Import-Module $ModulePath

# The value maps provider addresses to reattach configs; pick the providers asked for.
$providers = (ConvertFrom-Json $ReattachProviders -AsHashtable).GetEnumerator() | Sort-Object Key
$chosen = @($providers | Where-Object { $_.Key -like $Provider -or $_.Key -like "*/$Provider" })
if (-not $chosen) { throw "TF_REATTACH_PROVIDERS holds no provider matching '$Provider' (it holds $(@($providers.Key) -join ', '))." }

$describe = @{}
if ($ProtoFile) { $describe.ProtoFile = $ProtoFile; $describe.ImportPath = $ImportPath }

$summary = foreach ($entry in $chosen) {
    $address = $entry.Key
    Write-Host "`n== $address (pid $($entry.Value.Pid), $($entry.Value.Addr.Network) $($entry.Value.Addr.String))" -ForegroundColor Cyan
    $row = [ordered]@{ Provider = $address; Pid = $entry.Value.Pid; Healthy = $false; Methods = 0; Calls = 0; StillRunning = $null; Error = $null }
    $session = $null
    try {
        # Attach: -Name picks this provider out of the TF_REATTACH_PROVIDERS value.
        $session = Connect-RpcPlugin -ReattachConfig $ReattachProviders -Name $address @describe
        Write-Host ("attached: session {0} '{1}', pid {2}, owned: {3}, TLS: {4}, protocol version {5}" -f
            $session.Id, $session.Name, $session.ProcessId, $session.Owned, $session.Tls, $session.ProtocolVersion)

        $health = Test-RpcPlugin $session -Detailed
        $row.Healthy = [bool] $health.Healthy
        Write-Host "health: $($health.Status) (service '$($health.Service)'), process alive: $($health.ProcessAlive)"

        $methods = @(Get-RpcPluginMethod -Session $session)
        $row.Methods = $methods.Count
        $methods | Format-Table Service, Name, Kind, RequestType, ResponseType -AutoSize | Out-Host

        foreach ($c in $Call) {
            $method = if ($c -is [System.Collections.IDictionary]) { $c['Method'] } else { $c.Method }
            $request = if ($c -is [System.Collections.IDictionary]) { $c['Request'] } else { $c.Request }
            $invoke = @{}
            if ($null -ne $request) { $invoke.Request = $request }
            $reply = Invoke-RpcPluginMethod $session $method @invoke -AsJson
            $row.Calls++
            Write-Host "$method -> $(if ($reply) { $reply } else { '(empty reply)' })"
        }
    } catch {
        $row.Error = $_.Exception.Message
        Write-Host "failed: $($row.Error)" -ForegroundColor Red
    } finally {
        if ($session) {
            # The session does not own the provider: this only closes our connection (-Force would end it).
            $session | Stop-RpcPlugin
        }
        $row.StillRunning = [bool] (Get-Process -Id $entry.Value.Pid -ErrorAction SilentlyContinue)
    }
    [pscustomobject] $row
}

Write-Host ''
$summary | Format-Table Provider, Pid, Healthy, Methods, Calls, StillRunning -AutoSize | Out-Host
$failed = @($summary | Where-Object { $_.Error -or -not $_.Healthy })
Write-Host ('Detached from {0} provider(s); {1} still running.' -f $summary.Count, @($summary | Where-Object StillRunning).Count) -ForegroundColor ($failed ? 'Red' : 'Green')
if ($PassThru) { $summary }
if ($failed) { exit 1 }
