# Loads RpcPlugin's cmdlets into their own AssemblyLoadContext (see RpcPlugin.ModuleLoadContext): only the small
# RpcPlugin.Shared assembly, holding the types scripts name, goes into PowerShell's default context. The gRPC and
# protobuf libraries the cmdlets use then cannot clash with other versions loaded by other modules.

$importModule = Get-Command -Name Import-Module -Module Microsoft.PowerShell.Core
$binPath = [System.IO.Path]::Combine($PSScriptRoot, 'bin')

$isReload = [bool]('RpcPlugin.ModuleLoadContext' -as [type])
if (-not $isReload) {
    Add-Type -Path ([System.IO.Path]::Combine($binPath, 'RpcPlugin.Shared.dll'))
}

$cmdletAssembly = [RpcPlugin.ModuleLoadContext]::Initialize()
$innerModule = & $importModule -Assembly $cmdletAssembly -PassThru

if ($isReload) {
    # Importing an assembly a second time (Import-Module -Force, or a new runspace) reuses a cached module
    # object and does not re-export its cmdlets into this module's scope (PowerShell issue 20710): add them back.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod(
        'AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    foreach ($cmdlet in $innerModule.ExportedCmdlets.Values) {
        $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
    }
}
