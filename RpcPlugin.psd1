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
            ProjectUri   = 'https://example.invalid/rpcplugin'
            LicenseUri   = 'https://opensource.org/licenses/MIT'
        }
    }
}
