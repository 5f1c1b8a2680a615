# Loads RpcPlugin's cmdlets into their own AssemblyLoadContext (see RpcPlugin.ModuleLoadContext): only the small
# RpcPlugin.Shared assembly, holding the types scripts name, goes into PowerShell's default context. The gRPC and
# protobuf libraries the cmdlets use then cannot clash with other versions loaded by other modules.

$binPath = [System.IO.Path]::Combine($PSScriptRoot, 'bin')

# ReadyToRun: bin/ReadyToRun/net<major>.0/<os>-<arch>/ holds precompiled copies of the assemblies, so the first
# start and calls do not wait for the JIT. Only the runtime major version that compiled them uses that code, and an
# image for another architecture does not load at all: any other runtime or platform, or RPCPLUGIN_READYTORUN=0,
# loads the IL in bin/. An assembly the folder lacks loads from bin/ too (ModuleLoadContext).
$loadPath = $binPath
if ($env:RPCPLUGIN_READYTORUN -ne '0') {
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    $native = [System.IO.Path]::Combine($binPath, 'ReadyToRun', "net$([Environment]::Version.Major).0", "$os-$arch")
    if ([System.IO.File]::Exists([System.IO.Path]::Combine($native, 'RpcPlugin.Shared.dll'))) { $loadPath = $native }
}

$isReload = [bool]('RpcPlugin.ModuleLoadContext' -as [type])
if (-not $isReload) {
    # Not Add-Type -Path: that cmdlet would import Microsoft.PowerShell.Utility and compile its own code first,
    # a cost on every cold import for nothing Add-Type adds here.
    $null = [System.Runtime.Loader.AssemblyLoadContext]::Default.LoadFromAssemblyPath([System.IO.Path]::Combine($loadPath, 'RpcPlugin.Shared.dll'))
}

$cmdletAssembly = [RpcPlugin.ModuleLoadContext]::Initialize($binPath)
# Module-qualified, so that no function or alias named Import-Module can stand in (Get-Command would cost a cold
# command lookup).
$innerModule = Microsoft.PowerShell.Core\Import-Module -Assembly $cmdletAssembly -PassThru

if ($isReload) {
    # Importing an assembly a second time (Import-Module -Force, or a new runspace) reuses a cached module
    # object and does not re-export its cmdlets into this module's scope (PowerShell issue 20710): add them back.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod(
        'AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    foreach ($cmdlet in $innerModule.ExportedCmdlets.Values) {
        $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
    }
}
