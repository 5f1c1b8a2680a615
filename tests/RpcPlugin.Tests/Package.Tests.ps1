# The package round trip: build.ps1's Package step turns the built module into RpcPlugin.<version>.nupkg; the test
# publishes that with Publish-PSResource to a throwaway local file repository, installs it with Install-PSResource
# into a throwaway user scope, imports it by name in a fresh pwsh and calls the test plugin. PSResourceGet ships with
# PowerShell 7.4+; a file repository needs no network.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $moduleDir = Split-Path $env:RPCPLUGIN_MODULE
    $version = (Import-PowerShellDataFile $env:RPCPLUGIN_MODULE).ModuleVersion
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop

    # Run build.ps1's own Invoke-Package on the module the test run built (running `build.ps1 Package` itself
    # would rebuild everything first): same code, with its $moduleOut and $out pointed here.
    $buildAst = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $repoRoot 'build.ps1'), [ref] $null, [ref] $null)
    $packageFunction = $buildAst.Find({ param($a) $a -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $a.Name -eq 'Invoke-Package' }, $true)
    if (-not $packageFunction) { throw 'build.ps1 has no Invoke-Package function.' }
    . ([scriptblock]::Create($packageFunction.Extent.Text))
    $moduleOut = $moduleDir
    $out = Join-Path $TestDrive 'out'
    $null = New-Item -ItemType Directory $out
    Invoke-Package 6>$null
    $nupkg = Join-Path $out "RpcPlugin.$version.nupkg"

    # A throwaway file repository, registered for this test only (unregistered in AfterAll).
    $repository = 'RpcPluginTest' + [guid]::NewGuid().ToString('n').Substring(0, 8)
    $repositoryDir = Join-Path $TestDrive 'repository'
    $null = New-Item -ItemType Directory $repositoryDir
    Register-PSResourceRepository -Name $repository -Uri $repositoryDir -Trusted
    if ((Get-Command Publish-PSResource).Parameters.ContainsKey('NupkgPath')) {
        Publish-PSResource -NupkgPath $nupkg -Repository $repository
    } else {
        Publish-PSResource -Path $moduleDir -Repository $repository
    }

    # A user whose home is a temp directory: Install-PSResource -Scope CurrentUser, PowerShell's user module path
    # and PSResourceGet's repository list all live under it, so nothing touches the real user's.
    $home2 = Join-Path $TestDrive 'home'
    $null = New-Item -ItemType Directory $home2

    function Invoke-AsUser([string] $Script) {
        # Runs a script text in a fresh pwsh as the throwaway user, without the module path this run has.
        $user = @{ HOME = $home2; PSModulePath = $null; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null }
        Invoke-FreshPwsh $Script -Environment $user -WorkingDirectory $home2 -TimeoutSeconds 180
    }

    function Get-Json([string] $Output) {
        ($Output -split '\r?\n' | Where-Object { $_.StartsWith('JSON:') } | Select-Object -Last 1).Substring(5) | ConvertFrom-Json
    }
}

AfterAll {
    if ($repository) { Unregister-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue }
}

Describe 'RpcPlugin package' {
    It 'is RpcPlugin.<version>.nupkg with the version from the one place it is set' {
        Test-Path $nupkg | Should -BeTrue
        [xml] $props = Get-Content -Raw (Join-Path $repoRoot 'Directory.Build.props')
        $version | Should -Be ($props.Project.PropertyGroup.RpcPluginVersion | Where-Object { $_ } | Select-Object -First 1)
    }

    It 'holds every file of the built module at the package root, and a nuspec with the manifest''s metadata' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg)
        try {
            $entries = @($zip.Entries.FullName)
            $reader = [IO.StreamReader]::new($zip.GetEntry('RpcPlugin.nuspec').Open())
            [xml] $nuspec = $reader.ReadToEnd()
            $reader.Dispose()
        } finally { $zip.Dispose() }

        $files = Get-ChildItem $moduleDir -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($moduleDir, $_.FullName) -replace '\\', '/' }
        foreach ($file in $files) { $entries | Should -Contain $file }
        $entries | Should -Contain 'RpcPlugin.psd1'
        $entries | Should -Contain 'bin/RpcPlugin.dll'
        $entries | Should -Not -Contain 'RpcPlugin/RpcPlugin.psd1' -Because 'PSResourceGet expects the module at the package root'

        $manifest = Import-PowerShellDataFile $env:RPCPLUGIN_MODULE
        $nuspec.package.metadata.id | Should -Be 'RpcPlugin'
        $nuspec.package.metadata.version | Should -Be $version
        $nuspec.package.metadata.description | Should -Be $manifest.Description
        $nuspec.package.metadata.authors | Should -Be $manifest.Author
        $nuspec.package.metadata.tags -split ' ' | Should -Contain 'PSModule'
    }

    It 'carries ReadyToRun images for .NET 10 on linux-x64, linux-arm64, osx-arm64 and win-x64, each compiled from the IL beside it' {
        # PE machine of a ReadyToRun image: the architecture's, XOR a per-OS value (Linux 0x7B79, Apple 0x4644).
        $machines = @{ 'linux-x64' = 0x8664 -bxor 0x7B79; 'linux-arm64' = 0xAA64 -bxor 0x7B79; 'osx-arm64' = 0xAA64 -bxor 0x4644; 'win-x64' = 0x8664 }
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg)
        try {
            $read = {
                param($Entry)
                $memory = [IO.MemoryStream]::new()
                $source = $Entry.Open(); try { $source.CopyTo($memory) } finally { $source.Dispose() }
                $memory.Position = 0
                $pe = [Reflection.PortableExecutable.PEReader]::new($memory)
                try {
                    $metadata = [Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                    [pscustomobject]@{
                        Mvid = $metadata.GetGuid($metadata.GetModuleDefinition().Mvid)
                        ReadyToRun = $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0
                        Machine = [int]$pe.PEHeaders.CoffHeader.Machine
                    }
                } finally { $pe.Dispose() }
            }
            foreach ($rid in $machines.Keys) {
                $prefix = "bin/ReadyToRun/net10.0/$rid/"
                $images = @($zip.Entries | Where-Object { $_.FullName.StartsWith($prefix) -and $_.FullName.EndsWith('.dll') })
                $names = @($images | ForEach-Object { $_.FullName.Substring($prefix.Length) })
                foreach ($name in 'RpcPlugin.Shared.dll', 'RpcPlugin.dll', 'RpcPlugin.Core.dll', 'Google.Protobuf.dll', 'Grpc.Net.Client.dll', 'Grpc.Core.Api.dll') {
                    $names | Should -Contain $name -Because "$prefix should hold a precompiled $name"
                }
                foreach ($image in $images) {
                    $il = $zip.GetEntry("bin/$($image.Name)")
                    $il | Should -Not -BeNullOrEmpty -Because "$($image.FullName) should have its IL in bin/"
                    $native = & $read $image
                    $native.ReadyToRun | Should -BeTrue -Because "$($image.FullName) should be a ReadyToRun image"
                    $native.Machine | Should -Be $machines[$rid] -Because "$($image.FullName) should be compiled for $rid"
                    $native.Mvid | Should -Be (& $read $il).Mvid -Because "$($image.FullName) should be compiled from the IL the package ships"
                }
            }
        } finally { $zip.Dispose() }
    }

    It 'ships the license and changelog, with release notes and no placeholder project address in the metadata' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg)
        try {
            $entries = @($zip.Entries.FullName)
            $reader = [IO.StreamReader]::new($zip.GetEntry('RpcPlugin.nuspec').Open())
            [xml] $nuspec = $reader.ReadToEnd()
            $reader.Dispose()
            $license = [IO.StreamReader]::new($zip.GetEntry('LICENSE').Open())
            $licenseText = $license.ReadToEnd()
            $license.Dispose()
        } finally { $zip.Dispose() }

        $entries | Should -Contain 'LICENSE'
        $entries | Should -Contain 'CHANGELOG.md'
        $licenseText | Should -BeLike 'MIT License*Permission is hereby granted, free of charge*'
        $manifest = Import-PowerShellDataFile $env:RPCPLUGIN_MODULE
        $manifest.Copyright | Should -BeLike '*MIT*'
        $manifest.PrivateData.PSData.ReleaseNotes | Should -BeLike "*$version*"
        $manifest.PrivateData.PSData.ContainsKey('ProjectUri') | Should -BeFalse -Because 'there is no project page yet'
        $nuspec.package.metadata.releaseNotes | Should -BeLike "*$version*"
        $nuspec.package.metadata.projectUrl | Should -BeNullOrEmpty
        ($nuspec.OuterXml) | Should -Not -Match 'example\.invalid'
        Get-Content -Raw (Join-Path $repoRoot 'CHANGELOG.md') | Should -Match "(?m)^## \[$([regex]::Escape($version))\]"
    }

    It 'is published to a local file repository with Publish-PSResource, where Find-PSResource finds it' {
        Test-Path (Join-Path $repositoryDir "RpcPlugin.$version.nupkg") | Should -BeTrue
        $found = Find-PSResource -Name RpcPlugin -Repository $repository
        $found.Name | Should -Be 'RpcPlugin'
        "$($found.Version)" | Should -Be $version
        "$($found.Type)" | Should -Be 'Module'
    }

    It 'installs with Install-PSResource, and a fresh pwsh imports it by name and calls the test plugin' {
        $install = Invoke-AsUser @"
Register-PSResourceRepository -Name '$repository' -Uri '$repositoryDir' -Trusted
Install-PSResource -Name RpcPlugin -Repository '$repository' -Scope CurrentUser -TrustRepository -Quiet
`$installed = Get-InstalledPSResource -Name RpcPlugin -Scope CurrentUser
'JSON:' + (@{ Version = "`$(`$installed.Version)"; Location = `$installed.InstalledLocation } | ConvertTo-Json -Compress)
"@
        $install.ExitCode | Should -Be 0 -Because ($install.Output + $install.Errors)
        $installed = Get-Json $install.Output
        $installed.Version | Should -Be $version
        $installed.Location | Should -BeLike "$home2*"

        $use = Invoke-AsUser @"
Import-Module RpcPlugin
`$module = Get-Module RpcPlugin
`$session = Start-RpcPlugin '$TestPlugin' -Name from-package
try {
    `$reply = Invoke-RpcPluginMethod `$session testplugin.Echo/Unary @{ message = 'installed from a nupkg' }
    `$healthy = Test-RpcPlugin `$session
} finally { `$session | Stop-RpcPlugin }
'JSON:' + (@{
    ModuleBase = `$module.ModuleBase; Version = "`$(`$module.Version)"; Commands = @((Get-Command -Module RpcPlugin).Name | Sort-Object)
    Core = ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'RpcPlugin.Core' }).Location
    Reply = `$reply.message; Healthy = `$healthy; Pid = `$session.ProcessId; ExitCode = `$session.ExitCode; Left = @(Get-RpcPlugin).Count
} | ConvertTo-Json -Compress)
"@
        $use.ExitCode | Should -Be 0 -Because ($use.Output + $use.Errors)
        $result = Get-Json $use.Output
        $result.ModuleBase | Should -BeLike "$home2*" -Because 'the module comes from the installed package, not from out/'
        $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
        $rid = "$os-$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant())"
        $expected = if (Test-Path (Join-Path $moduleDir "bin/ReadyToRun/net$([Environment]::Version.Major).0/$rid")) { "bin/ReadyToRun/net*/$rid/RpcPlugin.Core.dll" } else { 'bin/RpcPlugin.Core.dll' }
        [IO.Path]::GetRelativePath($result.ModuleBase, $result.Core) -replace '\\', '/' | Should -BeLike $expected -Because 'the installed package loads the images for its runtime, if it has them'
        $result.Version | Should -Be $version
        $result.Commands | Should -Be @((Get-Command -Module RpcPlugin).Name | Sort-Object) -Because 'the package has every command of the built module'
        $result.Reply | Should -Be 'installed from a nupkg'
        $result.Healthy | Should -BeTrue
        $result.ExitCode | Should -Be 0
        $result.Left | Should -Be 0
        Wait-ProcessGone $result.Pid | Should -BeTrue
    }
}
