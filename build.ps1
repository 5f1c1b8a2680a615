#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates the RpcPlugin module.

.DESCRIPTION
    Tasks:
      Build  the module into out/RpcPlugin, the test plugin into out/TestPlugin, the test Terraform provider
             into out/TerraformProvider, the example plugin into out/examples/KvPlugin.
      Test   Build, then the xunit suite and every Pester file (each in a fresh pwsh); ends with one line
             "N passed, N failed" and exits non-zero if anything failed.
      TestWindows
             Build, then the Windows lane under Wine (tests/Windows): a win-x64 PowerShell host, the test plugin
             for win-x64 and the Go peers for Windows, and the Pester files of tests/Windows run in that host.
             Test runs it too when wine64 is installed (else it says why it skipped).
      Demo   Build, then run examples/demo.ps1 against the example plugin.
      Bench  Build (and the Go peers), then the benchmarks (bench/): every figure a ratio measured side by side.
             The full run writes bench/results/latest.json and latest.md; -Quick (CI) writes under out/bench and
             never overwrites them.
      Package Build, then pack the module into out/RpcPlugin.<version>.nupkg (the version of the built manifest),
             laid out as PSResourceGet publishes modules: Publish-PSResource -NupkgPath, or drop it in a file
             repository and Install-PSResource RpcPlugin.

    Needs only the .NET SDK: run it as `dotnet tool restore && dotnet pwsh ./build.ps1 <Task>`.

.EXAMPLE
    dotnet pwsh ./build.ps1 Test -PesterPath tests/RpcPlugin.Tests/Start-RpcPlugin.Tests.ps1

.EXAMPLE
    dotnet pwsh ./build.ps1 TestWindows
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'TestWindows', 'Demo', 'Bench', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run only these Pester files (default: every tests/RpcPlugin.Tests/*.Tests.ps1).
    [string[]] $PesterPath,

    # Skip the xunit suite (handy while iterating on Pester tests).
    [switch] $SkipXunit,

    # Skip the Pester suite.
    [switch] $SkipPester,

    # Bench: seconds instead of minutes; results under out/bench (Test runs it too, so the harness never rots).
    [switch] $Quick
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'RpcPlugin'

function Invoke-Dotnet {
    # Runs dotnet and stops the build when it fails.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    # The version lives in Directory.Build.props only; the manifest is stamped from it.
    [xml] $props = Get-Content -Raw (Join-Path $root 'Directory.Build.props')
    $props.Project.PropertyGroup.RpcPluginVersion | Where-Object { $_ } | Select-Object -First 1
}

function Invoke-Build {
    Write-Host "== Build ($Configuration)" -ForegroundColor Cyan
    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    $bin = Join-Path $moduleOut 'bin'
    Invoke-Dotnet publish (Join-Path $root 'src/RpcPlugin/RpcPlugin.csproj') -c $Configuration -o $bin --nologo -v quiet
    Remove-Item (Join-Path $bin '*.deps.json') -ErrorAction SilentlyContinue
    Invoke-ReadyToRun $bin

    Copy-Item (Join-Path $root 'module/RpcPlugin.psm1') $moduleOut
    Copy-Item (Join-Path $root 'module/RpcPlugin.Format.ps1xml') $moduleOut
    Copy-Item (Join-Path $root 'LICENSE'), (Join-Path $root 'CHANGELOG.md') $moduleOut
    $manifest = Get-Content -Raw (Join-Path $root 'RpcPlugin.psd1')
    $version = Get-ModuleVersion
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    Set-Content -Path (Join-Path $moduleOut 'RpcPlugin.psd1') -Value $manifest -NoNewline

    # Cmdlet help: MAML generated from docs/help (our own converter: platyPS is not available here). It reads the
    # built module's metadata, so it runs in a separate pwsh once the module is in place.
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'docs/Convert-HelpToMaml.ps1') `
        -Source (Join-Path $root 'docs/help') -Destination (Join-Path $root 'module/en-US') -ModulePath (Join-Path $moduleOut 'RpcPlugin.psd1')
    if ($LASTEXITCODE -ne 0) { throw "docs/Convert-HelpToMaml.ps1 failed with exit code $LASTEXITCODE." }
    Copy-Item (Join-Path $root 'module/en-US') $moduleOut -Recurse -Force

    Write-TestDescriptorSet
    Invoke-Dotnet publish (Join-Path $root 'tests/TestPlugin/TestPlugin.csproj') -c $Configuration -o (Join-Path $out 'TestPlugin') --nologo -v quiet
    Invoke-Dotnet publish (Join-Path $root 'tests/TerraformProvider/TerraformProvider.csproj') -c $Configuration -o (Join-Path $out 'TerraformProvider') --nologo -v quiet
    Invoke-Dotnet publish (Join-Path $root 'examples/KvPlugin/KvPlugin.csproj') -c $Configuration -o (Join-Path $out 'examples/KvPlugin') --nologo -v quiet
    Write-Host "Module: $moduleOut (version $version)"
}

function Invoke-ReadyToRun([string] $Bin) {
    # Precompiled (ReadyToRun) copies of the module's IL assemblies, one folder per runtime major version and
    # platform: bin/ReadyToRun/<tfm>/<rid>/. src/RpcPlugin.ReadyToRun compiles the very files in bin/ with the
    # Crossgen2 of its target framework; module/RpcPlugin.psm1 picks the folder of the runtime pwsh runs on.
    $project = Join-Path $root 'src/RpcPlugin.ReadyToRun/RpcPlugin.ReadyToRun.csproj'
    [xml] $xml = Get-Content -Raw $project
    $framework = $xml.Project.PropertyGroup.TargetFramework | Where-Object { $_ } | Select-Object -First 1
    $rids = ($xml.Project.PropertyGroup.RuntimeIdentifiers | Where-Object { $_ } | Select-Object -First 1) -split ';'
    # System.Management.Automation as pwsh ships it (this pwsh's): Crossgen2 needs the real classes the cmdlets derive from.
    $powerShellDirectory = [IO.Path]::GetDirectoryName([psobject].Assembly.Location)
    foreach ($rid in $rids) {
        $staging = Join-Path $out "readytorun/$rid"
        if (Test-Path $staging) { Remove-Item $staging -Recurse -Force }
        Invoke-Dotnet publish $project -c $Configuration -r $rid -o $staging --nologo -v quiet `
            "-p:ModuleBin=$Bin$([IO.Path]::DirectorySeparatorChar)" "-p:PowerShellDirectory=$powerShellDirectory$([IO.Path]::DirectorySeparatorChar)"
        $target = Join-Path $Bin "ReadyToRun/$framework/$rid"
        $null = New-Item -ItemType Directory -Force $target
        # Only what Crossgen2 compiled: an assembly left out (PublishReadyToRunExclude) loads from bin/.
        $images = @(Get-ChildItem $staging -Filter '*.dll' | Where-Object { (Test-Path (Join-Path $Bin $_.Name)) -and (Test-ReadyToRunImage $_.FullName) })
        if (-not ($images.Name -contains 'RpcPlugin.Core.dll')) { throw "ReadyToRun publish for $rid compiled no RpcPlugin.Core.dll (in $staging)." }
        $images | Copy-Item -Destination $target
    }
    Write-Host "ReadyToRun: $framework for $($rids -join ', ')"
}

function Test-ReadyToRunImage([string] $Path) {
    # A ReadyToRun image has a managed native header; an IL-only assembly does not.
    $stream = [IO.File]::OpenRead($Path)
    try {
        $reader = [Reflection.PortableExecutable.PEReader]::new($stream)
        $null -ne $reader.PEHeaders.CorHeader -and $reader.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0
    } finally { $stream.Dispose() }
}

function Write-TestDescriptorSet {
    # The tests of -DescriptorSet need a set as protoc writes it: use the protoc that ships in the Grpc.Tools
    # package (restored by the build). Only Linux x64 binaries are used here; elsewhere those tests skip.
    $tools = Join-Path (Get-NuGetPackagesPath) 'grpc.tools/2.85.0'
    $protoc = Join-Path $tools 'tools/linux_x64/protoc'
    $set = Join-Path $out 'testplugin.protoset'
    Remove-Item $set -ErrorAction SilentlyContinue
    if (-not $IsLinux -or [Runtime.InteropServices.RuntimeInformation]::OSArchitecture -ne 'X64' -or -not (Test-Path $protoc)) { return }
    & chmod +x $protoc
    & $protoc "-I$(Join-Path $root 'protos')" "-I$(Join-Path $tools 'build/native/include')" --include_imports --include_source_info `
        "--descriptor_set_out=$set" test/testplugin.proto
    if ($LASTEXITCODE -ne 0) { throw "protoc failed to write $set." }
}

function Get-PwshCommand {
    # How to start another pwsh like this one: `dotnet pwsh` runs pwsh.dll under the dotnet host.
    $process = [Environment]::ProcessPath
    $entry = [Environment]::GetCommandLineArgs()[0]
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, $entry) } else { , @($process) }
}

function Get-NuGetPackagesPath {
    if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
}

function Invoke-PeersBuild {
    # The Go peers built on HashiCorp's go-plugin (tests/peers): optional. Exit code 3 means the Go toolchain is not
    # installed (.ci/run installs it); the tests that need the peers then skip with that reason.
    $peers = Join-Path $out 'peers'
    $env:RPCPLUGIN_PEERS = $peers
    $env:RPCPLUGIN_PEERS_SKIPPED = ''
    if (-not (Get-Command bash -ErrorAction SilentlyContinue)) {
        $env:RPCPLUGIN_PEERS_SKIPPED = 'bash is not available to run tests/peers/build.sh'
        return
    }
    Write-Host '== Go peers' -ForegroundColor Cyan
    $output = & bash (Join-Path $root 'tests/peers/build.sh') $peers 2>&1
    switch ($LASTEXITCODE) {
        0 { }
        3 { $env:RPCPLUGIN_PEERS_SKIPPED = ($output | Select-Object -Last 1) -replace '^skipped: ', ''; Write-Host "Go peers skipped: $env:RPCPLUGIN_PEERS_SKIPPED" -ForegroundColor Yellow }
        default { $output | Out-Host; throw "tests/peers/build.sh failed with exit code $LASTEXITCODE." }
    }
}

function Set-TestEnvironment {
    $env:RPCPLUGIN_NUGET_PACKAGES = Get-NuGetPackagesPath
    $env:RPCPLUGIN_MODULE = Join-Path $moduleOut 'RpcPlugin.psd1'
    $env:RPCPLUGIN_TESTPLUGIN = Join-Path $out 'TestPlugin/TestPlugin'
    $env:RPCPLUGIN_TERRAFORMPROVIDER = Join-Path $out 'TerraformProvider/TerraformProvider'
    $env:RPCPLUGIN_KVPLUGIN = Join-Path $out 'examples/KvPlugin/KvPlugin'
    $env:RPCPLUGIN_PWSH = (Get-PwshCommand) -join [IO.Path]::PathSeparator
    $env:RPCPLUGIN_TEST_PROTOS = Join-Path $root 'protos'
    $env:RPCPLUGIN_TEST_PROTOSET = Join-Path $out 'testplugin.protoset'
}

function Get-PesterModulePath {
    # Pester comes from NuGet (no PowerShell Gallery here): restore it as a PackageDownload.
    Invoke-Dotnet restore (Join-Path $root 'tests/RpcPlugin.Tests/TestTools.csproj') --nologo -v quiet
    $psd1 = Join-Path (Get-NuGetPackagesPath) 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $psd1)) { throw "Pester was restored but $psd1 is missing." }
    $psd1
}

function Invoke-Xunit {
    Write-Host '== xunit' -ForegroundColor Cyan
    $results = Join-Path $out 'TestResults'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    & dotnet test (Join-Path $root 'tests/RpcPlugin.Core.Tests/RpcPlugin.Core.Tests.csproj') -c $Configuration --nologo `
        --logger 'trx;LogFileName=core.trx' --logger 'console;verbosity=minimal' --results-directory $results | Out-Host
    $trx = Join-Path $results 'core.trx'
    if (-not (Test-Path $trx)) {
        Write-Host 'xunit produced no results (build or host failure).' -ForegroundColor Red
        return [pscustomobject]@{ Passed = 0; Failed = 1; Failures = @('xunit: no results (build or host failure)') }
    }
    [xml] $report = Get-Content -Raw $trx
    $counters = $report.TestRun.ResultSummary.Counters
    $failures = @($report.TestRun.Results.UnitTestResult | Where-Object outcome -ne 'Passed' | Where-Object outcome -ne 'NotExecuted' |
        ForEach-Object { "xunit: $($_.testName) ($($_.outcome))" })
    [pscustomobject]@{
        Passed = [int]$counters.passed
        Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        Failures = $failures
    }
}

function Invoke-PesterFiles {
    Write-Host '== Pester' -ForegroundColor Cyan
    $pester = Get-PesterModulePath
    # From a shell, `-PesterPath a,b` arrives as one string: split it.
    $files = if ($PesterPath) { $PesterPath -split ',' | ForEach-Object { (Resolve-Path $_.Trim()).Path } }
             else { (Get-ChildItem (Join-Path $root 'tests/RpcPlugin.Tests') -Filter '*.Tests.ps1').FullName }
    $runner = Join-Path $root 'tests/RpcPlugin.Tests/Invoke-PesterFile.ps1'
    $pwsh = Get-PwshCommand
    $passed = 0; $failed = 0; $failures = [Collections.Generic.List[string]]::new()
    foreach ($file in $files) {
        # A fresh pwsh per file: module state, runspaces and plugins of one file cannot leak into the next.
        $resultFile = Join-Path $out ("pester-" + [IO.Path]::GetFileNameWithoutExtension($file) + '.json')
        Remove-Item $resultFile -ErrorAction SilentlyContinue
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $runner -PesterModule $pester -Path $file -ResultFile $resultFile |
            Out-Host
        if (Test-Path $resultFile) {
            $result = Get-Content -Raw $resultFile | ConvertFrom-Json
            $passed += $result.Passed; $failed += $result.Failed
            $name = [IO.Path]::GetFileName($file)
            foreach ($failure in $result.Failures) { $failures.Add("${name}: $failure") }
        } else {
            Write-Host "Pester run of $file crashed before writing results." -ForegroundColor Red
            $failed += 1
            $failures.Add("$([IO.Path]::GetFileName($file)): crashed before writing results")
        }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Failures = $failures.ToArray() }
}

function Invoke-WindowsLane {
    # The Windows lane (tests/Windows/README.md): builds what runs under Wine, then runs it. Counts like the others.
    Write-Host '== Windows lane (Wine)' -ForegroundColor Cyan
    . (Join-Path $root 'tests/Windows/WineLane.ps1')
    if (-not (Find-Wine)) {
        Write-Host 'Windows lane skipped: wine64 is not installed (apt-get install wine64; .ci/run installs it).' -ForegroundColor Yellow
        return [pscustomobject]@{ Passed = 0; Failed = 0; Failures = @() }
    }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    try {
        $win = Join-Path $out 'win'
        Invoke-Dotnet publish (Join-Path $root 'tests/WindowsHost/WindowsHost.csproj') -c $Configuration -o (Join-Path $win 'WindowsHost') --nologo -v quiet
        Invoke-Dotnet publish (Join-Path $root 'tests/TestPlugin/TestPlugin.csproj') -c $Configuration -r win-x64 --self-contained `
            -o (Join-Path $win 'TestPlugin') --nologo -v quiet
        $saved = $env:GOOS, $env:GOARCH
        $env:GOOS = 'windows'; $env:GOARCH = 'amd64'
        try { $output = & bash (Join-Path $root 'tests/peers/build.sh') (Join-Path $win 'peers') 2>&1 }
        finally { $env:GOOS, $env:GOARCH = $saved }
        switch ($LASTEXITCODE) {
            0 { }
            3 { Write-Host "Go peers for Windows skipped (their tests skip): $(($output | Select-Object -Last 1) -replace '^skipped: ', '')" -ForegroundColor Yellow }
            default { $output | Out-Host; throw "tests/peers/build.sh (GOOS=windows) failed with exit code $LASTEXITCODE." }
        }
        Write-Host ("Windows lane: built in {0:0.0} s" -f $clock.Elapsed.TotalSeconds)
        $result = & (Join-Path $root 'tests/Windows/Invoke-WindowsLane.ps1') -Root $root -PesterModule (Get-PesterModulePath) -Pwsh (Get-PwshCommand)
        if ($result.Skipped) { Write-Host "Windows lane skipped: $($result.Skipped)" -ForegroundColor Yellow }
    } catch {
        # A lane that cannot be built or set up is a failure to count, not the end of the whole run.
        Write-Host "Windows lane failed: $_" -ForegroundColor Red
        $result = [pscustomobject]@{ Passed = 0; Failed = 1; Failures = @("Windows lane: $_"); Skipped = $null }
    }
    Write-Host ("Windows lane: {0:0.0} s in all" -f $clock.Elapsed.TotalSeconds)
    $result
}

function Write-TestSummary {
    # What failed, just above the count: a CI log that keeps only its tail still names it. Exits 1 on failures.
    param([object[]] $Totals)
    $passed = ($Totals | Measure-Object Passed -Sum).Sum
    $failed = ($Totals | Measure-Object Failed -Sum).Sum
    Write-Host ''
    $failures = @($Totals | ForEach-Object { $_.Failures } | Where-Object { $_ })
    if ($failures) {
        Write-Host 'Failed:'
        $failures | ForEach-Object { Write-Host "  $_" }
    }
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Package {
    # The built module as a PowerShell module nupkg: its files at the package root plus RpcPlugin.nuspec, made by
    # PSResourceGet itself so that Install-PSResource takes it as it takes the Gallery's.
    Write-Host '== Package' -ForegroundColor Cyan
    $version = (Import-PowerShellDataFile (Join-Path $moduleOut 'RpcPlugin.psd1')).ModuleVersion
    $nupkg = Join-Path $out "RpcPlugin.$version.nupkg"
    Remove-Item (Join-Path $out 'RpcPlugin.*.nupkg') -ErrorAction SilentlyContinue
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    if (Get-Command Compress-PSResource -ErrorAction SilentlyContinue) {
        $null = Compress-PSResource -Path $moduleOut -DestinationPath $out
    } else {
        # PSResourceGet 1.0 (PowerShell 7.4) has no Compress-PSResource: publish to a throwaway file repository.
        $staging = Join-Path ([IO.Path]::GetTempPath()) ('rpcplugin-package-' + [guid]::NewGuid().ToString('n'))
        $repository = 'RpcPluginPackage' + [guid]::NewGuid().ToString('n').Substring(0, 8)
        $null = New-Item -ItemType Directory $staging
        Register-PSResourceRepository -Name $repository -Uri $staging -Trusted
        try {
            Publish-PSResource -Path $moduleOut -Repository $repository
            Copy-Item (Join-Path $staging "RpcPlugin.$version.nupkg") $out
        } finally {
            Unregister-PSResourceRepository -Name $repository
            Remove-Item $staging -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
    if (-not (Test-Path $nupkg)) { throw "Packaging did not produce $nupkg." }
    Write-Host "Package: $nupkg"
}

function Invoke-Bench([switch] $QuickRun) {
    $outDir = if ($QuickRun) { Join-Path $out 'bench' } else { Join-Path $root 'bench/results' }
    $arguments = @{
        ModulePath = Join-Path $moduleOut 'RpcPlugin.psd1'
        TestPlugin = Join-Path $out 'TestPlugin/TestPlugin'
        OutDir = $outDir
        Quick = [bool]$QuickRun
    }
    if (-not $env:RPCPLUGIN_PEERS_SKIPPED) { $arguments.PeersDir = Join-Path $out 'peers' }
    Write-Host "== Bench$(if ($QuickRun) { ' (quick)' })" -ForegroundColor Cyan
    & (Join-Path $root 'bench/Invoke-Benchmarks.ps1') @arguments | Out-Host
    $LASTEXITCODE
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Package' {
        Invoke-Build
        Invoke-Package
    }
    'Bench' {
        Invoke-Build
        Invoke-PeersBuild
        $code = Invoke-Bench -QuickRun:$Quick
        if ($code -ne 0) { exit $code }
    }
    'Demo' {
        Invoke-Build
        Set-TestEnvironment
        & (Join-Path $root 'examples/demo.ps1') -ModulePath $env:RPCPLUGIN_MODULE -PluginPath $env:RPCPLUGIN_KVPLUGIN
    }
    'Test' {
        Invoke-Build
        Set-TestEnvironment
        if (-not $SkipPester) { Invoke-PeersBuild }
        $totals = @()
        if (-not $SkipXunit) { $totals += Invoke-Xunit }
        if (-not $SkipPester) { $totals += Invoke-PesterFiles }
        if (-not $SkipPester -and -not $PesterPath) {
            # The quick benchmark run keeps the harness working; its numbers are not judged here.
            $benchCode = Invoke-Bench -QuickRun
            $totals += [pscustomobject]@{
                Passed = [int]($benchCode -eq 0); Failed = [int]($benchCode -ne 0)
                Failures = @(if ($benchCode -ne 0) { "Bench -Quick exited with $benchCode" })
            }
            $totals += Invoke-WindowsLane
        }
        Write-TestSummary $totals
    }
    'TestWindows' {
        Invoke-Build
        Set-TestEnvironment
        Write-TestSummary @(Invoke-WindowsLane)
    }
}
