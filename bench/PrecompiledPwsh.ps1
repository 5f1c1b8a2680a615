# A copy of the running pwsh whose PowerShell assemblies are precompiled (ReadyToRun), as the official packages
# (deb, rpm, msi, tar.gz) ship them. The PowerShell .NET tool that runs these benchmarks ships them as IL, so every
# fresh pwsh JIT-compiles PowerShell itself, most of a cold run's time and none of it ours: the cold rows measure
# both pwsh builds. Dot-sourced by Measure-Cold.ps1.

function Get-PrecompiledPwsh {
    <#
    .SYNOPSIS
        Returns the command line (an array) of a precompiled copy of this pwsh, building it under -CacheDir the
        first time (crossgen2 from the NuGet cache, the version of the running runtime); or a string saying why not.
    #>
    param([Parameter(Mandatory)] [string] $CacheDir)

    $source = [IO.Path]::GetDirectoryName([System.Management.Automation.PSObject].Assembly.Location)
    $entry = Join-Path $source 'pwsh.dll'
    if (-not (Test-Path $entry)) { return "no pwsh.dll beside System.Management.Automation.dll in $source" }
    if (Test-ReadyToRunImage (Join-Path $source 'System.Management.Automation.dll')) {
        return 'this pwsh is precompiled already: the rows above measure it'
    }

    $runtime = [Environment]::Version.ToString()
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $arch = [Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $crossgen = Join-Path $packages "microsoft.netcore.app.crossgen2.$os-$arch/$runtime/tools/crossgen2$(if ($IsWindows) { '.exe' })"
    if (-not (Test-Path $crossgen)) { return "crossgen2 $runtime for $os-$arch is not in the NuGet cache ($crossgen)" }

    $target = Join-Path $CacheDir "pwsh-$($PSVersionTable.PSVersion)-net$runtime-$os-$arch"
    $done = Join-Path $target '.precompiled'
    if (-not (Test-Path $done)) {
        if (Test-Path $target) { Remove-Item $target -Recurse -Force }
        $null = New-Item -ItemType Directory -Force $target
        Copy-Item (Join-Path $source '*') $target -Recurse -Force
        $framework = [IO.Path]::GetDirectoryName([object].Assembly.Location)
        $assemblies = @('System.Management.Automation', 'Microsoft.PowerShell.ConsoleHost', 'Microsoft.PowerShell.Commands.Utility',
            'Microsoft.PowerShell.Commands.Management', 'Microsoft.PowerShell.Security', 'pwsh')
        foreach ($name in $assemblies) {
            $il = Join-Path $source "$name.dll"
            if (-not (Test-Path $il) -or (Test-ReadyToRunImage $il)) { continue }
            # A response file: pwsh on Unix would expand the reference wildcards itself (native globbing).
            $rsp = Join-Path $target "$name.rsp"
            Set-Content $rsp @($il, '-o', (Join-Path $target "$name.dll"), '-r', (Join-Path $framework '*.dll'), '-r', (Join-Path $source '*.dll'),
                '--targetos', $os, '--targetarch', $arch, '-O')
            $output = & $crossgen "@$rsp" 2>&1
            Remove-Item $rsp
            if ($LASTEXITCODE -ne 0) { return "crossgen2 failed on $name.dll: $(($output | Select-Object -Last 3) -join ' ')" }
        }
        Set-Content $done $runtime
    }
    $dotnet = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { [Environment]::ProcessPath } else { 'dotnet' }
    , @($dotnet, (Join-Path $target 'pwsh.dll'))
}

function Test-ReadyToRunImage([string] $Path) {
    $stream = [IO.File]::OpenRead($Path)
    try {
        $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
        $pe.PEHeaders.CorHeader -and $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0
    } finally { $stream.Dispose() }
}
