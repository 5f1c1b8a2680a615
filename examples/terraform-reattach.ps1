<#
.SYNOPSIS
    Drives a Terraform provider that is already running - started in debug mode - through TF_REATTACH_PROVIDERS:
    its schema, its configuration, a data source and a resource plan, with plain hashtables.

.DESCRIPTION
    A Terraform provider started in debug mode (`terraform-provider-foo -debug`, or from your IDE's debugger with
    the SDK's debug flag) does not exit: it prints a TF_REATTACH_PROVIDERS value for Terraform to use instead of
    starting the provider itself. This script uses the same value to attach PowerShell to the running provider with
    Connect-RpcPlugin: no handshake, no process start, and the provider keeps running afterwards - so you can call
    it directly, with breakpoints set in the provider, between `terraform plan` runs.

    A TF_REATTACH_PROVIDERS value of protocol 5 or 6 gives a Terraform session: the provider's methods come from the
    tfplugin5/tfplugin6 descriptors built into RpcPlugin, and configurations and states are hashtables, encoded by the
    provider's own schema. For every provider in the value (or the one -Provider names) the script:
      1. attaches (Connect-RpcPlugin -ReattachConfig <value> -Name <provider>): a session that does not own the
         process;
      2. checks the provider's gRPC health and that its process is alive;
      3. shows its schema: its resource types and data sources, and the attributes of -Resource, each with its type
         as Terraform writes it (map(string)) and its flags;
      4. validates and configures the provider with -ProviderConfig;
      5. reads the data source -DataSource with -DataSourceConfig and shows its state;
      6. plans the creation of a -Resource with -ResourceConfig, showing what is "(known after apply)", and with
         -Apply applies the plan, reads the resource back, and plans and applies its destruction;
      7. detaches (Stop-RpcPlugin on an unowned session closes the connection only) and checks the provider is
         still running.

    The provider's diagnostics are shown as they come (errors in red, warnings in yellow); the script exits 1 when a
    provider reported an error or could not be driven.

    Defaults fit the provider used in this repository's tests (no real provider is reachable offline): the test
    provider in debug mode (`out/TerraformProvider/TerraformProvider -debug`), whose data source is rpcplugin_echo and
    whose resource is rpcplugin_thing.

.PARAMETER ReattachProviders
    The TF_REATTACH_PROVIDERS value: JSON mapping provider addresses to go-plugin reattach configs, e.g.
    {"registry.terraform.io/hashicorp/aws":{"Protocol":"grpc","ProtocolVersion":5,"Pid":1234,"Test":true,
    "Addr":{"Network":"unix","String":"/tmp/plugin123"}}}. Default: $env:TF_REATTACH_PROVIDERS.

.PARAMETER Provider
    Which provider(s) of the value to drive: a full address (registry.terraform.io/hashicorp/aws), its tail
    (hashicorp/aws) or a wildcard pattern. Default: all of them.

.PARAMETER ProviderConfig
    The provider's configuration, as in a provider block: a hashtable of its attributes (attributes left out are
    null). Default: the test provider's endpoint.

.PARAMETER DataSource
    The data source to read, e.g. aws_region; empty to read none. Default: rpcplugin_echo.

.PARAMETER DataSourceConfig
    The data source's configuration, as in a data block. Default: an input for rpcplugin_echo to echo.

.PARAMETER Resource
    The resource type to plan, e.g. aws_s3_bucket; empty to plan nothing. Its attributes are listed too.
    Default: rpcplugin_thing.

.PARAMETER ResourceConfig
    The resource's configuration, as in a resource block. Default: a thing named example.

.PARAMETER Apply
    Apply the plan, read the resource back, then plan and apply its destruction, as `terraform apply` followed by
    `terraform destroy` would. Without it nothing is changed: the plan is only shown.

.PARAMETER ModulePath
    The RpcPlugin module: a path to RpcPlugin.psd1, or 'RpcPlugin' when installed. Default: this repository's
    out/RpcPlugin, else the installed module.

.PARAMETER PassThru
    Write one summary object per provider to the pipeline, with the data source's state and the planned and applied
    states as ordered hashtables.

.EXAMPLE
    # Terminal 1: this repository's test provider, kept running the way a debugged provider is
    out/TerraformProvider/TerraformProvider -debug
    # Terminal 2, with the value it printed:
    $env:TF_REATTACH_PROVIDERS = '{"registry.terraform.io/rpcplugin/rpcplugin":{...}}'
    ./examples/terraform-reattach.ps1 -Apply

    Shows the test provider's schema, configures it, reads its echo data source, and plans, applies, reads and
    destroys a thing.

.EXAMPLE
    # A real provider in debug mode (terraform-plugin-framework or SDKv2 with -debug):
    $env:TF_REATTACH_PROVIDERS = '{"registry.terraform.io/hashicorp/random":{"Protocol":"grpc","ProtocolVersion":6,"Pid":4242,"Test":true,"Addr":{"Network":"unix","String":"/tmp/plugin1234"}}}'
    ./examples/terraform-reattach.ps1 -Provider hashicorp/random -ProviderConfig @{} -DataSource '' `
        -Resource random_pet -ResourceConfig @{ length = 3; separator = '-' }

    Lists the random provider's resource types and random_pet's attributes, configures the provider, and shows
    what a plan for a random_pet knows before it is applied (its id, for one, is known only after apply).
#>
#Requires -Version 7.4
[CmdletBinding()]
param(
    [string] $ReattachProviders = $env:TF_REATTACH_PROVIDERS,
    [string] $Provider = '*',
    [hashtable] $ProviderConfig = @{ endpoint = 'https://api.example.test' },
    [AllowEmptyString()] [string] $DataSource = 'rpcplugin_echo',
    [hashtable] $DataSourceConfig = @{ input = @{ greeting = 'hello'; count = 3 }; text = 'from terraform-reattach' },
    [AllowEmptyString()] [string] $Resource = 'rpcplugin_thing',
    [hashtable] $ResourceConfig = @{ name = 'example'; size = 2; tags = @{ env = 'demo' } },
    [switch] $Apply,
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

function Invoke-Provider {
    # Calls a provider method and shows its diagnostics: errors (non-terminating, RpcPlugin.Terraform.Diagnostic) and
    # warnings come after the response, which is returned either way. Counts the errors in $row.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [hashtable] $Request, [Parameter(Mandatory)] $Row)
    $response = Invoke-RpcPluginMethod $Session $Method $Request -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
    foreach ($warning in $warnings) { Write-Host "  warning: $warning" -ForegroundColor Yellow }
    foreach ($problem in $problems) {
        $Row.Errors++
        Write-Host "  error ($($problem.FullyQualifiedErrorId -replace ',.*')): $($problem.Exception.Message)" -ForegroundColor Red
    }
    $response
}

function Format-State($State) {
    # A state as 'name = value' lines; unknown values print as Terraform shows them: (known after apply).
    foreach ($entry in $State.GetEnumerator()) {
        $value = $entry.Value
        $text = if ($null -eq $value) { 'null' }
                elseif ($value -is [System.Collections.IDictionary] -or $value -is [array]) { ConvertTo-Json -InputObject $value -Compress -Depth 10 }
                else { "$value" }
        '    {0} = {1}' -f $entry.Key, $text
    }
}

$summary = foreach ($entry in $chosen) {
    $address = $entry.Key
    Write-Host "`n== $address (pid $($entry.Value.Pid), $($entry.Value.Addr.Network) $($entry.Value.Addr.String))" -ForegroundColor Cyan
    $row = [ordered]@{
        Provider = $address; Pid = $entry.Value.Pid; Protocol = $null; Healthy = $false; Resources = 0; DataSources = 0
        Errors = 0; State = $null; Planned = $null; Applied = $null; StillRunning = $null; Error = $null
    }
    $session = $null
    try {
        # Attach: -Name picks this provider out of the value; protocol 5 or 6 makes it a Terraform session.
        $session = Connect-RpcPlugin -ReattachConfig $ReattachProviders -Name $address
        $row.Protocol = $session.ProtocolVersion
        Write-Host ("attached: session {0} '{1}', pid {2}, protocol {3}, Terraform: {4}, owned: {5}" -f
            $session.Id, $session.Name, $session.ProcessId, $session.ProtocolVersion, $session.Terraform, $session.Owned)

        $health = Test-RpcPlugin $session -Detailed
        $row.Healthy = [bool] $health.Healthy
        Write-Host "health: $($health.Status) (service '$($health.Service)'), process alive: $($health.ProcessAlive)"

        # The schema: every configuration and state below is encoded by it (RpcPlugin fetches it once and keeps it).
        # Protocol 5 names a few calls differently: GetSchema, PrepareProviderConfig, Configure.
        $v5 = $session.ProtocolVersion -eq 5
        $schema = Invoke-Provider $session $(if ($v5) { 'GetSchema' } else { 'GetProviderSchema' }) @{} $row
        $row.Resources = $schema.resource_schemas.Count
        $row.DataSources = $schema.data_source_schemas.Count
        Write-Host ('schema: {0} resource type(s) ({1}), {2} data source(s) ({3})' -f $row.Resources, (@($schema.resource_schemas.Keys) -join ', '),
            $row.DataSources, (@($schema.data_source_schemas.Keys) -join ', '))
        if ($Resource -and $schema.resource_schemas.Contains($Resource)) {
            Write-Host "attributes of ${Resource}:"
            $schema.resource_schemas[$Resource].block.attributes | Format-Table | Out-Host
        }

        # A provider block: validated, then configured.
        $null = Invoke-Provider $session $(if ($v5) { 'PrepareProviderConfig' } else { 'ValidateProviderConfig' }) @{ config = $ProviderConfig } $row
        $null = Invoke-Provider $session $(if ($v5) { 'Configure' } else { 'ConfigureProvider' }) @{ terraform_version = '1.9.0'; config = $ProviderConfig } $row
        Write-Host "configured: $(@($ProviderConfig.Keys | Sort-Object | ForEach-Object { "$_=$($ProviderConfig[$_])" }) -join ', ')"

        if ($DataSource) {
            $read = Invoke-Provider $session ReadDataSource @{ type_name = $DataSource; config = $DataSourceConfig } $row
            $row.State = $read.state
            Write-Host "data source ${DataSource}:"
            if ($read.state) { Format-State $read.state | Write-Host }
        }

        if ($Resource) {
            # A create: no prior state; the proposed new state is the configuration, the provider fills in the rest.
            $plan = Invoke-Provider $session PlanResourceChange @{ type_name = $Resource; prior_state = $null; proposed_new_state = $ResourceConfig; config = $ResourceConfig } $row
            $row.Planned = $plan.planned_state
            Write-Host "plan ${Resource} (create):"
            if ($plan.planned_state) { Format-State $plan.planned_state | Write-Host }

            if ($Apply -and $plan.planned_state) {
                $applied = Invoke-Provider $session ApplyResourceChange @{ type_name = $Resource; prior_state = $null; planned_state = $plan.planned_state; config = $ResourceConfig; planned_private = $plan.planned_private } $row
                $row.Applied = $applied.new_state
                Write-Host "applied ${Resource}:"
                if ($applied.new_state) { Format-State $applied.new_state | Write-Host }

                $current = (Invoke-Provider $session ReadResource @{ type_name = $Resource; current_state = $applied.new_state; private = $applied.private } $row).new_state
                Write-Host "read back: $(if ($current) { 'the same object' } else { 'gone' })"

                # Destroy: a null proposed state plans it, a null planned state applies it.
                $destroy = Invoke-Provider $session PlanResourceChange @{ type_name = $Resource; prior_state = $current; proposed_new_state = $null; config = $null } $row
                $gone = Invoke-Provider $session ApplyResourceChange @{ type_name = $Resource; prior_state = $current; planned_state = $destroy.planned_state; config = $null } $row
                Write-Host "destroyed ${Resource}: $(if ($null -eq $gone.new_state) { 'yes' } else { 'no' })"
            }
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
$summary | Format-Table Provider, Pid, Protocol, Healthy, Resources, DataSources, Errors, StillRunning -AutoSize | Out-Host
$failed = @($summary | Where-Object { $_.Error -or $_.Errors -or -not $_.Healthy })
Write-Host ('Detached from {0} provider(s); {1} still running.' -f $summary.Count, @($summary | Where-Object StillRunning).Count) -ForegroundColor ($failed ? 'Red' : 'Green')
if ($PassThru) { $summary }
if ($failed) { exit 1 }
