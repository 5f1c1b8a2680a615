# Dot-sourced by the Terraform test files after TestHelpers.ps1: the test provider (tests/TerraformProvider), the names
# of its calls on either protocol, and the provider started by hand in debug mode.

$Provider = if ($env:RPCPLUGIN_TERRAFORMPROVIDER) { $env:RPCPLUGIN_TERRAFORMPROVIDER } else { Join-Path $repoRoot 'out/TerraformProvider/TerraformProvider' }
$Unknown = [RpcPlugin.TerraformUnknown]::Value

# Protocol 5's names of the calls whose name changed in 6.
$Version5Names = @{
    GetProviderSchema = 'GetSchema'; ValidateProviderConfig = 'PrepareProviderConfig'; ConfigureProvider = 'Configure'
    ValidateDataResourceConfig = 'ValidateDataSourceConfig'; ValidateResourceConfig = 'ValidateResourceTypeConfig'; StopProvider = 'Stop'
}

function Get-Call {
    # A method by its protocol 6 name, for a session of either version: tfplugin<N>.Provider/<name>.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Method)
    $name = if ($Session.ProtocolVersion -eq 5 -and $Version5Names[$Method]) { $Version5Names[$Method] } else { $Method }
    "tfplugin$($Session.ProtocolVersion).Provider/$name"
}

function Start-DebugProvider {
    # Starts the provider by hand in debug mode (no cookie; it prints a TF_REATTACH_PROVIDERS value and runs until
    # stopped), as a developer starts a provider under a debugger. Returns the process, the value and the output.
    param([int] $Version = 6)
    $info = [System.Diagnostics.ProcessStartInfo]::new($Provider)
    $info.ArgumentList.Add('-debug'); $info.ArgumentList.Add("-protocol=$Version")
    $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
    foreach ($name in 'TF_PLUGIN_MAGIC_COOKIE', 'PLUGIN_CLIENT_CERT', 'PLUGIN_PROTOCOL_VERSIONS') { $null = $info.Environment.Remove($name) }
    $process = [System.Diagnostics.Process]::Start($info)
    $null = $process.StandardError.ReadToEndAsync()
    $lines = [System.Collections.Generic.List[string]]::new()
    $value = $null
    while ($null -ne ($line = $process.StandardOutput.ReadLine())) {
        $lines.Add($line)
        if ($line -match "^\s*Bash:\s+export TF_REATTACH_PROVIDERS='(.+)'$") { $value = $Matches[1]; break }
    }
    $null = $process.StandardOutput.ReadToEndAsync()
    if (-not $value) { $process.Kill($true); throw "The provider printed no TF_REATTACH_PROVIDERS value: $($lines -join "`n")" }
    [pscustomobject]@{ Process = $process; Value = $value; Output = $lines -join "`n" }
}

function Stop-DebugProvider {
    # Ends a provider started in debug mode (sessions attached to it only detach) and checks it is gone.
    param([Parameter(Mandatory)] $Started)
    if (-not $Started.Process.HasExited) { $Started.Process.Kill($true) }
    $Started.Process.WaitForExit(10000) | Should -BeTrue
    Wait-ProcessGone $Started.Process.Id | Should -BeTrue
}
