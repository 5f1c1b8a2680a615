# The loader's two paths (module/RpcPlugin.psm1, RpcPlugin.ModuleLoadContext): the ReadyToRun images of
# bin/ReadyToRun/net<major>.0/<os>-<arch>/ when the package has them for the runtime and platform pwsh runs on, the
# IL of bin/ otherwise. Each case runs in a fresh pwsh (the load context is per process), starts the test plugin,
# calls it and stops it. That ReadyToRun code really runs is shown by the JIT: the first call of a process compiles
# a small fraction of the methods it compiles when the same module loads its IL.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $moduleDir = Split-Path $env:RPCPLUGIN_MODULE
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    $framework = "net$([Environment]::Version.Major).0"
    $readyToRunDir = Join-Path $moduleDir "bin/ReadyToRun/$framework/$os-$arch"
    $protos = $env:RPCPLUGIN_TEST_PROTOS
    if (-not $protos) { $protos = Join-Path $PSScriptRoot '../../protos' }

    function Invoke-ProbePwsh {
        # A fresh pwsh imports the module at $Module, starts the test plugin, waits for its descriptors, counts the
        # methods the JIT compiles across the first call, stops the plugin, and reports where each assembly loaded.
        param([Parameter(Mandatory)] [string] $Module, [hashtable] $Environment = @{}, [string[]] $ExtraStart = @())
        $script = Join-Path $TestDrive ("probe-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
        Set-Content -Path $script -Value @'
param([string] $Module, [string] $Plugin, [string] $Protos)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$start = @{ ProtocolVersion = 1, 2; StartTimeout = 60 }
if ($Protos) { $start.ProtoFile = Join-Path $Protos 'test/testplugin.proto'; $start.ImportPath = $Protos; $start.NoReflection = $true }
$session = Start-RpcPlugin $Plugin @start
try {
    $null = $session.Services          # descriptors loaded: the call below compiles only what a call needs
    Start-Sleep -Milliseconds 500
    # This thread's count only: the runtime's background thread recompiles hot methods (tiering) at any time.
    $before = [System.Runtime.JitInfo]::GetCompiledMethodCount($true)
    $reply = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'first' }
    $jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($true) - $before
} finally { $session | Stop-RpcPlugin }
$assemblies = @{}
foreach ($a in [AppDomain]::CurrentDomain.GetAssemblies()) {
    $name = $a.GetName().Name
    if ($name -like 'RpcPlugin*' -or $name -like 'Grpc.*' -or $name -like 'Google.Protobuf' -or $name -like 'protobuf-net*') { $assemblies[$name] = $a.Location }
}
'JSON:' + (@{ Reply = $reply.message; Jit = $jit; Pid = $session.ProcessId; Assemblies = $assemblies } | ConvertTo-Json -Compress)
'@
        # The loader's own switch comes only from -Environment.
        $variables = @{ RPCPLUGIN_READYTORUN = $null }
        foreach ($key in $Environment.Keys) { $variables[$key] = $Environment[$key] }
        $run = Invoke-FreshPwsh -File $script -ArgumentList (@('-Module', $Module, '-Plugin', $TestPlugin) + $ExtraStart) -Environment $variables -TimeoutSeconds 180
        $line = $run.Lines | Where-Object { $_.StartsWith('JSON:') } | Select-Object -Last 1
        if ($run.ExitCode -ne 0 -or -not $line) { throw "The probe pwsh failed (exit $($run.ExitCode)): $($run.Output) $($run.Errors)" }
        $result = $line.Substring(5) | ConvertFrom-Json
        Wait-ProcessGone $result.Pid | Should -BeTrue -Because 'the probe stopped its plugin'
        $result
    }

    function Get-LoadFolder([string] $Location) { [IO.Path]::GetFullPath([IO.Path]::GetDirectoryName($Location)).TrimEnd([IO.Path]::DirectorySeparatorChar) }
    $binFull = Get-LoadFolder (Join-Path $moduleDir 'bin/RpcPlugin.dll')
    $ownAssemblies = 'RpcPlugin.Shared', 'RpcPlugin', 'RpcPlugin.Core', 'Google.Protobuf', 'Grpc.Net.Client', 'Grpc.Core.Api'

    $hasImages = Test-Path (Join-Path $readyToRunDir 'RpcPlugin.Shared.dll')
    $native = if ($hasImages) { Invoke-ProbePwsh $env:RPCPLUGIN_MODULE } else { $null }
    $il = Invoke-ProbePwsh $env:RPCPLUGIN_MODULE -Environment @{ RPCPLUGIN_READYTORUN = '0' }
}

Describe 'ReadyToRun loader' {
    It 'has images for this runtime and platform when they are one the package is built for (.NET 10 on linux-x64, linux-arm64, osx-arm64, win-x64)' {
        $built = [Environment]::Version.Major -eq 10 -and "$os-$arch" -in 'linux-x64', 'linux-arm64', 'osx-arm64', 'win-x64'
        if (-not $built) { Set-ItResult -Skipped -Because "the package has no ReadyToRun images for .NET $([Environment]::Version.Major) on $os-$arch" ; return }
        $hasImages | Should -BeTrue -Because "$readyToRunDir should hold the images for the pwsh that runs the tests"
    }

    It 'loads every assembly of the module from the ReadyToRun folder, and the first call compiles a fraction of what the IL needs' {
        if (-not $hasImages) { Set-ItResult -Skipped -Because "no ReadyToRun folder for .NET $([Environment]::Version.Major) on $os-$arch"; return }
        $native.Reply | Should -Be 'first'
        $nativeFull = Get-LoadFolder (Join-Path $readyToRunDir 'RpcPlugin.dll')
        foreach ($name in $ownAssemblies) {
            Get-LoadFolder $native.Assemblies.$name | Should -Be $nativeFull -Because "$name should load from the ReadyToRun folder"
        }
        # Not a speed test: a count of methods the JIT compiled on the calling thread. With the IL, a first call
        # compiles our call path, Grpc.Net.Client's and Google.Protobuf's (about 240 methods on that thread); with
        # ReadyToRun code only what no image can hold (about 30: framework generics over our types, PowerShell's).
        $native.Jit | Should -BeLessThan ($il.Jit / 4) -Because "the first call compiled $($native.Jit) methods with ReadyToRun images and $($il.Jit) with the IL"
    }

    It 'loads the IL from bin/ when RPCPLUGIN_READYTORUN=0, and works' {
        $il.Reply | Should -Be 'first'
        foreach ($name in $ownAssemblies) {
            Get-LoadFolder $il.Assemblies.$name | Should -Be $binFull -Because "$name should load from bin/"
        }
    }

    It 'loads the IL from bin/ when the package has no images for the runtime pwsh runs on, and works' {
        $copy = Join-Path $TestDrive 'no-images/RpcPlugin'
        $null = New-Item -ItemType Directory -Force (Split-Path $copy)
        Copy-Item $moduleDir $copy -Recurse
        # The images this runtime would pick now claim another major version, as for a pwsh on a newer .NET.
        $frameworkDir = Join-Path $copy "bin/ReadyToRun/$framework"
        if (Test-Path $frameworkDir) { Rename-Item $frameworkDir "net$([Environment]::Version.Major + 1).0" }
        $result = Invoke-ProbePwsh (Join-Path $copy 'RpcPlugin.psd1')
        $result.Reply | Should -Be 'first'
        foreach ($name in $ownAssemblies) {
            Get-LoadFolder $result.Assemblies.$name | Should -Be (Get-LoadFolder (Join-Path $copy 'bin/RpcPlugin.dll')) -Because "$name should load from the copy's bin/"
        }
    }

    It 'loads an assembly that has no image (protobuf-net, for -ProtoFile) from bin/ next to the images' {
        if (-not $hasImages) { Set-ItResult -Skipped -Because "no ReadyToRun folder for .NET $([Environment]::Version.Major) on $os-$arch"; return }
        Test-Path (Join-Path $readyToRunDir 'protobuf-net.Reflection.dll') | Should -BeFalse -Because 'protobuf-net is left as IL'
        $result = Invoke-ProbePwsh $env:RPCPLUGIN_MODULE -ExtraStart @('-Protos', $protos)
        $result.Reply | Should -Be 'first'
        Get-LoadFolder $result.Assemblies.'protobuf-net.Reflection' | Should -Be $binFull
        Get-LoadFolder $result.Assemblies.'RpcPlugin.Core' | Should -Be (Get-LoadFolder (Join-Path $readyToRunDir 'RpcPlugin.Core.dll'))
    }
}
