# Dot-sourced by every Pester file (in BeforeAll): imports the built module and gives the tests a few helpers.
# build.ps1 sets the RPCPLUGIN_* variables; running a file by hand after `build.ps1 Build` works too.

$repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
if (-not $env:RPCPLUGIN_MODULE) { $env:RPCPLUGIN_MODULE = Join-Path $repoRoot 'out/RpcPlugin/RpcPlugin.psd1' }
if (-not $env:RPCPLUGIN_TESTPLUGIN) { $env:RPCPLUGIN_TESTPLUGIN = Join-Path $repoRoot 'out/TestPlugin/TestPlugin' }
if (-not $env:RPCPLUGIN_KVPLUGIN) { $env:RPCPLUGIN_KVPLUGIN = Join-Path $repoRoot 'out/examples/KvPlugin/KvPlugin' }

Import-Module $env:RPCPLUGIN_MODULE -Force
. (Join-Path $PSScriptRoot '../Wait-Until.ps1')
$TestPlugin = $env:RPCPLUGIN_TESTPLUGIN

# rpcplugin-launcher (Linux) is built only where a C compiler was found; the tests of what it guarantees skip
# without it, saying why.
$LauncherRid = switch ([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture) { 'X64' { 'linux-x64' } 'Arm64' { 'linux-arm64' } default { 'none' } }
$LauncherBuilt = $IsLinux -and (Test-Path (Join-Path (Split-Path $env:RPCPLUGIN_MODULE) "bin/launcher/$LauncherRid/rpcplugin-launcher"))
$LauncherMissing = if ($IsLinux) { 'rpcplugin-launcher was not built: no C compiler was found when the module was built (Debian: apt-get install gcc libc6-dev)' } else { 'rpcplugin-launcher exists on Linux only' }

function Start-TestPlugin {
    # Starts the test plugin with a misbehaviour mode and network; -Parameters go to Start-RpcPlugin as they are.
    param(
        [string] $Mode,
        [ValidateSet('unix', 'tcp')] [string] $Network = 'unix',
        [hashtable] $Environment = @{},
        [hashtable] $Parameters = @{}
    )
    $variables = @{ TESTPLUGIN_NETWORK = $Network } + $Environment
    if ($Mode) { $variables.TESTPLUGIN_MODE = $Mode }
    $splat = @{ ProtocolVersion = 1, 2; Environment = $variables; StartTimeout = 30 }
    foreach ($key in $Parameters.Keys) { $splat[$key] = $Parameters[$key] }
    Start-RpcPlugin $TestPlugin @splat
}

function New-ProcessMarker {
    # A unique argument to start a plugin with, so that a test finds its own plugin processes and not those other
    # tests (or other test runs on the same machine) start and stop meanwhile. The test plugin ignores it.
    "rpcplugin-marker-$([guid]::NewGuid().ToString('N'))"
}

function Get-MarkedProcess {
    # The running (not zombie) test plugin processes whose command line holds the marker.
    param([Parameter(Mandatory)] [string] $Marker)
    @(Get-Process TestPlugin -ErrorAction SilentlyContinue | Where-Object { $_.CommandLine -like "*$Marker*" })
}

function Test-ProcessGone {
    # True when the process no longer exists (a zombie waiting to be reaped counts as gone).
    param([Parameter(Mandatory)] [int] $Id)
    $stat = "/proc/$Id/stat"
    if (-not (Test-Path $stat)) { return $true }
    $text = try { Get-Content -Raw $stat -ErrorAction Stop } catch { return $true }
    $text.Substring($text.LastIndexOf(')') + 2).StartsWith('Z')
}

function Wait-ProcessGone {
    # Waits (generously: these machines are shared) until the process is gone; returns whether it is.
    param([Parameter(Mandatory)] [int] $Id, [double] $Seconds = 10)
    Wait-Until { Test-ProcessGone $Id } -Seconds $Seconds
}

function Get-PwshCommand {
    # How to start another pwsh like the one running the tests (build.ps1 passes it; `dotnet pwsh` needs two words).
    if ($env:RPCPLUGIN_PWSH) { return , ($env:RPCPLUGIN_PWSH -split [IO.Path]::PathSeparator) }
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, [Environment]::GetCommandLineArgs()[0]) } else { , @($process) }
}

function New-PwshStartInfo {
    # How to start a new pwsh like this one (no profile, non-interactive) on a script file: the base of
    # Invoke-FreshPwsh, for the tests that drive the process themselves (send it a signal, leave it running).
    # An -Environment value of $null removes the variable.
    param([Parameter(Mandatory)] [string] $File, [string[]] $ArgumentList = @(), [hashtable] $Environment = @{})
    $pwsh = Get-PwshCommand
    $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($arg in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList) { $info.ArgumentList.Add($arg) }
    $info.UseShellExecute = $false
    $info.Environment['NO_COLOR'] = '1'
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $info.Environment.Remove($name) } else { $info.Environment[$name] = [string] $Environment[$name] }
    }
    $info
}

function Invoke-FreshPwsh {
    # Runs a script in a new pwsh process and returns its ExitCode, Output, Errors and output Lines. Script text
    # runs with $ErrorActionPreference = 'Stop', so a script that cannot even start exits non-zero; -File runs a
    # script file as it is. -NonInteractive makes a prompt an error instead of a hang; a run past -TimeoutSeconds
    # has its process tree killed and throws with the output so far.
    [CmdletBinding(DefaultParameterSetName = 'Script')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Script')] [string] $Script,
        [Parameter(Mandatory, ParameterSetName = 'File')] [string] $File,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory,
        [int] $TimeoutSeconds = 240
    )
    if ($PSCmdlet.ParameterSetName -eq 'Script') {
        $File = Join-Path $TestDrive ("fresh-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
        Set-Content -LiteralPath $File -Value ("`$ErrorActionPreference = 'Stop'`n" + $Script)
    }
    $info = New-PwshStartInfo -File $File -ArgumentList $ArgumentList -Environment $Environment
    $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.RedirectStandardInput = $true
    if ($WorkingDirectory) { $info.WorkingDirectory = $WorkingDirectory }
    $process = [System.Diagnostics.Process]::Start($info)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "pwsh did not finish within $TimeoutSeconds s ($File). Output so far: $($stdout.Result)"
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = $stdout.Result
            Errors   = $stderr.Result
            Lines    = @(($stdout.Result -replace '\r?\n\z', '') -split '\r?\n')
        }
    } finally { $process.Dispose() }
}

function New-TestRunspace {
    # A runspace with the module imported, for tests of per-runspace state.
    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $ps = [powershell]::Create($runspace)
    $null = $ps.AddScript("Import-Module '$env:RPCPLUGIN_MODULE'; `$TestPlugin = '$TestPlugin'").Invoke()
    $ps.Dispose()
    $runspace
}

function Invoke-InRunspace {
    param([Parameter(Mandatory)] $Runspace, [Parameter(Mandatory)] [string] $Script)
    $ps = [powershell]::Create($Runspace)
    try {
        $output = $ps.AddScript($Script).Invoke()
        if ($ps.HadErrors) { throw ($ps.Streams.Error | Select-Object -First 1) }
        $output
    } finally { $ps.Dispose() }
}

function New-TestPki {
    # A throwaway CA, a server certificate it signed (localhost, 127.0.0.1) and a client certificate it signed,
    # written as PEM files under $Directory. Returns their paths and the client certificate (with its key).
    param([Parameter(Mandatory)] [string] $Directory, [string] $Name = 'Test')
    $null = New-Item -ItemType Directory -Force $Directory
    $now = [DateTimeOffset]::UtcNow
    $caKey = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    $caRequest = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$Name CA", $caKey, 'SHA256')
    $caRequest.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $caRequest.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new('KeyCertSign, CrlSign', $true))
    $ca = $caRequest.CreateSelfSigned($now.AddMinutes(-5), $now.AddDays(1))

    function New-Leaf([string] $Subject, [string] $Usage) {
        $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$Subject", $key, 'SHA256')
        $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $names.AddDnsName('localhost'); $names.AddIpAddress([ipaddress]::Loopback)
        $request.CertificateExtensions.Add($names.Build())
        $oids = [System.Security.Cryptography.OidCollection]::new(); $null = $oids.Add([System.Security.Cryptography.Oid]::new($Usage))
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($oids, $false))
        $serial = [byte[]](1..16 | ForEach-Object { Get-Random -Maximum 128 })
        $certificate = $request.Create($ca, $now.AddMinutes(-5), $now.AddHours(12), $serial)
        [System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions]::CopyWithPrivateKey($certificate, $key)
    }

    $server = New-Leaf 'localhost' '1.3.6.1.5.5.7.3.1'
    $client = New-Leaf "$Name client" '1.3.6.1.5.5.7.3.2'
    $paths = @{
        Ca = Join-Path $Directory 'ca.pem'; ServerCert = Join-Path $Directory 'server.pem'; ServerKey = Join-Path $Directory 'server.key'
    }
    Set-Content $paths.Ca $ca.ExportCertificatePem()
    Set-Content $paths.ServerCert $server.ExportCertificatePem()
    Set-Content $paths.ServerKey ([System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions]::GetECDsaPrivateKey($server).ExportPkcs8PrivateKeyPem())
    [pscustomobject]@{ CaPath = $paths.Ca; ServerCertPath = $paths.ServerCert; ServerKeyPath = $paths.ServerKey; Client = $client }
}

function Get-JsonField([string] $Json, [string] $Name) {
    # The text of one JSON string field as the plugin echoed it (ConvertFrom-Json would turn dates into [datetime]).
    if ($Json -match ('"' + $Name + '":\s*"([^"]*)"')) { $Matches[1] } else { throw "No string field $Name in $Json" }
}
