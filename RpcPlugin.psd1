@{
    RootModule           = 'RpcPlugin.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0d3a2e-5c43-4f7e-9a51-2b8e1d0c7a94'
    Author               = 'RpcPlugin contributors'
    CompanyName          = 'RpcPlugin'
    Copyright            = '(c) RpcPlugin contributors. MIT License.'
    Description          = 'Start, call and stop go-plugin gRPC plugins (HashiCorp go-plugin, pyvider-rpcplugin, Terraform providers) from PowerShell, without generated stubs.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('RpcPlugin.Format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Start-RpcPlugin'
        'Connect-RpcPlugin'
        'Get-RpcPlugin'
        'Test-RpcPlugin'
        'Stop-RpcPlugin'
        'Use-RpcPlugin'
        'Get-RpcPluginLog'
        'Invoke-RpcPluginMethod'
        'Get-RpcPluginService'
        'Get-RpcPluginMethod'
        'New-RpcPluginMessage'
        'Get-RpcPluginMessageType'
        'Import-RpcPluginCommand'
    )
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('gRPC', 'go-plugin', 'plugin', 'Terraform', 'hashicorp', 'Linux', 'macOS', 'Windows')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            # No ProjectUri until the project has a public home. The full history is CHANGELOG.md in the package.
            ReleaseNotes = @'
0.1.0 - the first release.
- Start, attach to, health-check and stop go-plugin gRPC plugins (HashiCorp go-plugin, pyvider-rpcplugin,
  Terraform providers); no plugin outlives PowerShell.
- Call any method by name without generated stubs, in all four call shapes; descriptors from server reflection,
  .proto files or descriptor sets.
- Describe services, methods and message types (Get-RpcPluginMessageType); pipe method objects and sessions into
  Invoke-RpcPluginMethod; -Verbose and -Debug show what a call did; rich gRPC error details decoded.
- Tab completion of sessions, methods, types, services and request skeletons; tables that fit 80 columns.
'@
        }
    }
}
