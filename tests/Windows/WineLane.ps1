# Linux-side helpers of the Windows lane (dot-sourced by Invoke-WindowsLane.ps1 and the FromLinux tests): where
# Wine is, the lane's own prefix, running a Windows program, and making sure nothing of the prefix keeps running.

function Find-Wine {
    # Debian's wine64 package installs the loader outside PATH.
    $command = Get-Command wine64 -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($command) { return $command.Source }
    if (Test-Path '/usr/lib/wine/wine64') { return '/usr/lib/wine/wine64' }
    $null
}

function Get-WineServer {
    param([Parameter(Mandatory)] [string] $Wine)
    $server = Join-Path (Split-Path ((Get-Item $Wine).ResolvedTarget ?? $Wine)) 'wineserver'
    if (Test-Path $server) { $server } else { 'wineserver' }
}

function Set-WineEnvironment {
    # The lane's own prefix: its wineserver and processes are the lane's alone, so ending them ends nobody else's.
    param([Parameter(Mandatory)] [string] $Prefix)
    $env:WINEPREFIX = $Prefix
    $env:WINEDEBUG = '-all'
    # Without it .NET dies under Wine with "Internal CLR error" in a finalizer.
    $env:DOTNET_EnableWriteXorExecute = '0'
}

function Initialize-WinePrefix {
    # Makes the prefix on first use; returns the seconds it took (0 when it was there).
    param([Parameter(Mandatory)] [string] $Wine)
    if (Test-Path (Join-Path $env:WINEPREFIX 'system.reg')) { return 0 }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $null = New-Item -ItemType Directory -Force $env:WINEPREFIX
    # No Mono or Gecko installer while the prefix is made (nothing may be downloaded). Only then: Wine's loader
    # needs mscoree to load .NET assemblies at all.
    $env:WINEDLLOVERRIDES = 'mscoree,mshtml='
    try { & $Wine wineboot --init 2>&1 | Out-Null }
    finally { Remove-Item env:WINEDLLOVERRIDES }
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path (Join-Path $env:WINEPREFIX 'system.reg'))) {
        throw "wineboot could not make the Wine prefix $env:WINEPREFIX (exit code $LASTEXITCODE)."
    }
    # A crashing program ends without Wine's debugger printing pages of registers into the log.
    & $Wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' /v Auto /t REG_SZ /d 0 /f 2>&1 | Out-Null
    & $Wine reg delete 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' /v Debugger /f 2>&1 | Out-Null
    $clock.Elapsed.TotalSeconds
}

function ConvertTo-WindowsPath {
    # A Linux path as Windows programs under Wine see it: drive Z: is the Linux root.
    param([Parameter(Mandatory)] [string] $Path)
    'Z:' + [IO.Path]::GetFullPath($Path).Replace('/', '\')
}

function Invoke-WineProgram {
    # Runs a Windows program under Wine with its output on the console; returns its exit code (124: timed out,
    # and then everything in the prefix is ended).
    param(
        [Parameter(Mandatory)] [string] $Wine,
        [Parameter(Mandatory)] [string] $Program,
        [string[]] $ArgumentList = @(),
        [int] $TimeoutSeconds = 600
    )
    & timeout --kill-after=10 $TimeoutSeconds $Wine $Program @ArgumentList 2>&1 |
        ForEach-Object { "$_" } |
        Where-Object { $_ -notmatch 'Read access denied for device .*FS volume label' } | # Wine's noise about drive Z:
        Out-Host
    $code = $LASTEXITCODE
    if ($code -eq 124) {
        Write-Host "$Program did not finish within $TimeoutSeconds s; ending every process of the Wine prefix." -ForegroundColor Red
        Stop-WinePrefix
    }
    $code
}

function Read-PesterResult {
    # The counts Invoke-PesterFile.ps1 wrote, its failures named after the lane.
    param([Parameter(Mandatory)] [string] $ResultFile, [Parameter(Mandatory)] [string] $Label, [int] $ExitCode)
    if (-not (Test-Path $ResultFile)) {
        return [pscustomobject]@{ Passed = 0; Failed = 1; Failures = @("${Label}: crashed before writing results (exit code $ExitCode)") }
    }
    $result = Get-Content -Raw $ResultFile | ConvertFrom-Json
    [pscustomobject]@{ Passed = $result.Passed; Failed = $result.Failed; Failures = @($result.Failures | ForEach-Object { "${Label}: $_" }) }
}

function Get-WinePrefixProcess {
    # Linux processes of the lane's prefix (Wine gives each its WINEPREFIX): "pid command line" for each.
    $marker = "WINEPREFIX=$env:WINEPREFIX"
    foreach ($dir in Get-ChildItem /proc -Directory -ErrorAction SilentlyContinue | Where-Object Name -match '^\d+$') {
        if ([int]$dir.Name -eq $PID) { continue }
        try {
            $environ = [IO.File]::ReadAllText("$($dir.FullName)/environ") -split "`0"
            if ($environ -notcontains $marker) { continue }
            $commandLine = ([IO.File]::ReadAllText("$($dir.FullName)/cmdline") -split "`0" | Where-Object { $_ }) -join ' '
            "$($dir.Name) $commandLine"
        } catch { } # gone meanwhile, or not ours to read
    }
}

function Wait-WinePrefixIdle {
    # Waits until no process of the prefix runs (Wine's own services end a few seconds after the last program);
    # returns those still running after $Seconds.
    param([double] $Seconds = 60)
    $until = [datetime]::UtcNow.AddSeconds($Seconds)
    do {
        $left = @(Get-WinePrefixProcess)
        if (-not $left) { return @() }
        Start-Sleep -Milliseconds 250
    } while ([datetime]::UtcNow -lt $until)
    $left
}

function Stop-WinePrefix {
    # Ends every process of the lane's prefix (wineserver -k signals only the processes of that prefix).
    $wine = Find-Wine
    if (-not $wine) { return }
    & (Get-WineServer $wine) -k 2>&1 | Out-Null
    $null = Wait-WinePrefixIdle -Seconds 10
}

function New-LanePki {
    # Certificates for the TLS tests, made here because Wine cannot make keys: a CA, server certificates it signed
    # for localhost and 127.0.0.1 (RSA 2048 and ECDSA P-256), and an unrelated CA. PEM files, keys in PKCS#8.
    param([Parameter(Mandatory)] [string] $Directory)
    $null = New-Item -ItemType Directory -Force $Directory
    $now = [DateTimeOffset]::UtcNow
    function New-Ca([string] $Name) {
        $key = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$Name", $key, 'SHA256')
        $request.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
        $request.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new('KeyCertSign, CrlSign', $true))
        [pscustomobject]@{ Certificate = $request.CreateSelfSigned($now.AddMinutes(-5), $now.AddDays(2)); Key = $key }
    }
    function New-Server($Ca, $Key, [string] $File) {
        $request = if ($Key -is [Security.Cryptography.RSA]) {
            [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=localhost', $Key, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1)
        } else { [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=localhost', $Key, 'SHA256') }
        $names = [Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $names.AddDnsName('localhost'); $names.AddIpAddress([ipaddress]::Loopback)
        $request.CertificateExtensions.Add($names.Build())
        $oids = [Security.Cryptography.OidCollection]::new(); $null = $oids.Add([Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1'))
        $request.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($oids, $false))
        $serial = [Security.Cryptography.RandomNumberGenerator]::GetBytes(16); $serial[0] = $serial[0] -band 0x7f
        # The CA's own signature generator: its key type (ECDSA) may differ from the server's (RSA).
        $signer = [Security.Cryptography.X509Certificates.X509SignatureGenerator]::CreateForECDsa($Ca.Key)
        $certificate = $request.Create($Ca.Certificate.SubjectName, $signer, $now.AddMinutes(-5), $now.AddDays(1), $serial)
        Set-Content (Join-Path $Directory "$File.pem") $certificate.ExportCertificatePem()
        Set-Content (Join-Path $Directory "$File.key") $Key.ExportPkcs8PrivateKeyPem()
    }
    $ca = New-Ca 'RpcPlugin Windows lane CA'
    Set-Content (Join-Path $Directory 'ca.pem') $ca.Certificate.ExportCertificatePem()
    Set-Content (Join-Path $Directory 'other-ca.pem') (New-Ca 'Another CA').Certificate.ExportCertificatePem()
    New-Server $ca ([Security.Cryptography.RSA]::Create(2048)) 'server-rsa'
    New-Server $ca ([Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)) 'server-ec'
}
