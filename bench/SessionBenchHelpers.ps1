# Helpers of Measure-Sessions.ps1: tracking the plugins it starts, sessions, and the loops each row times.
# Dot-sourced there; they use its script variables ($size, $script:main, ...).

function Write-Step([string] $Text) { Write-Host "  $Text" -ForegroundColor DarkGray }

function Add-Tracked {
    # Every process we start, so that the end can check none is left.
    param([int] $ProcessId, [string] $What)
    if ($ProcessId -gt 0) { $script:tracked.Add([pscustomobject]@{ Pid = $ProcessId; What = $What }) }
}

function Start-Session {
    param([string] $Path, [string] $Name, [hashtable] $Extra = @{})
    $session = Start-RpcPlugin $Path -Name $Name @Extra
    Add-Tracked $session.ProcessId $Name
    $session
}

function Stop-Session {
    param($Session)
    if ($null -ne $Session) { $Session | Stop-RpcPlugin -ErrorAction SilentlyContinue -WarningAction SilentlyContinue }
}

function Get-CallInvoker {
    # The core session's CallInvoker: the very connection Invoke-RpcPluginMethod uses.
    param($Session)
    $source = $Session.GetType().GetProperty('Source', [Reflection.BindingFlags]'NonPublic,Instance').GetValue($Session)
    $source.CallInvoker
}

function Get-StubType {
    # The compiled stub, loaded into the module's own AssemblyLoadContext so its Grpc/Protobuf types are the module's.
    param($Invoker)
    if (-not $script:stubType) {
        $alc = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($Invoker.GetType().Assembly)
        $assembly = $alc.LoadFromAssemblyPath($StubDll)
        $script:stubType = $assembly.GetType('RpcPluginBench.StubBench', $true)
    }
    $script:stubType
}
$script:stubType = $null

function New-Sample {
    # One side of a row: per-repetition values (in the row's unit), total operations, what was measured.
    param([string] $What, [double[]] $Values, [long] $Operations)
    [ordered]@{ what = $What; n = $Operations; reps = $Values.Count; values = $Values; stats = Get-SampleStats $Values }
}

function Invoke-Row {
    param([string] $Id, [scriptblock] $Body)
    if ($Only -and -not ($Only | Where-Object { $Id.StartsWith($_, [StringComparison]::OrdinalIgnoreCase) })) { return }
    Write-Host "-- $Id" -ForegroundColor Cyan
    $clock = [Diagnostics.Stopwatch]::StartNew()
    try {
        $result = & $Body
        foreach ($entry in $result.GetEnumerator()) {
            $entry.Value['seconds'] = [Math]::Round($clock.Elapsed.TotalSeconds, 1)
            $script:rows[$entry.Key] = $entry.Value
        }
    } catch {
        $message = "$($_.Exception.Message) ($($_.InvocationInfo.ScriptName):$($_.InvocationInfo.ScriptLineNumber))"
        Write-Host "   error: $message" -ForegroundColor Red
        $script:rows[$Id] = [ordered]@{ error = $message; seconds = [Math]::Round($clock.Elapsed.TotalSeconds, 1) }
    }
}

function Skip-Row([string] $Reason) { [ordered]@{ skipped = $Reason } }

# --- loops timed on our side (µs per call). Literal requests, as a user writes them. ---

function Measure-OursUnary {
    param($Session, [int] $Count)
    $first = Invoke-RpcPluginMethod $Session testplugin.Echo/Unary @{ message = 'x' }
    if ($first.message -ne 'x') { throw "Unary replied '$($first.message)'." }
    $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
    foreach ($i in 1..$Count) { $null = Invoke-RpcPluginMethod $Session testplugin.Echo/Unary @{ message = 'x' } }
    [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $Count
}

function Measure-OursUnaryRaw {
    param($Session, [int] $Count)
    $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
    foreach ($i in 1..$Count) { $null = Invoke-RpcPluginMethod $Session testplugin.Echo/Unary @{ message = 'x' } -Raw }
    [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $Count
}

function Measure-LoopOverStub {
    # The floor of a PowerShell loop: the same foreach calling the compiled stub once per iteration.
    param($Stub, $Invoker, [int] $Count)
    $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
    foreach ($i in 1..$Count) { $null = $Stub::UnaryOnce($Invoker) }
    [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $Count
}

function Measure-TrivialCmdlet {
    # The floor of any compiled cmdlet in a foreach: Write-Output of one string.
    param([int] $Count)
    $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
    foreach ($i in 1..$Count) { $null = Write-Output 'x' }
    [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $Count
}

function Measure-OursGoUnary {
    param($Session, [int] $Count)
    $first = Invoke-RpcPluginMethod $Session goecho.Echo/Unary @{ text = 'x' }
    if ($first.text -ne 'x') { throw "goecho Unary replied '$($first.text)'." }
    $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
    foreach ($i in 1..$Count) { $null = Invoke-RpcPluginMethod $Session goecho.Echo/Unary @{ text = 'x' } }
    [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $Count
}

function Invoke-GoHost {
    param([string[]] $Arguments)
    $run = Invoke-TimedProcess $script:goHost $Arguments -TimeoutSeconds 300
    if ($run.ExitCode -ne 0) { throw "go-host $($Arguments -join ' ') exited with $($run.ExitCode): $($run.Stderr.Trim())" }
    $json = $run.Stdout.Trim() | ConvertFrom-Json
    if ($json.PSObject.Properties['pid']) { Add-Tracked ([int]$json.pid) 'go-host plugin' }
    $json
}

function New-ClientCertificatePem {
    # A client certificate as the module makes for AutoMTLS (ECDSA P-521, self-signed), PEM, for PLUGIN_CLIENT_CERT.
    $key = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP521)
    try {
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=localhost, O=RpcPlugin bench', $key, [Security.Cryptography.HashAlgorithmName]::SHA512)
        $names = [Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new(); $names.AddDnsName('localhost')
        $request.CertificateExtensions.Add($names.Build())
        $request.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
        $now = [DateTimeOffset]::UtcNow
        $cert = $request.CreateSelfSigned($now.AddMinutes(-1), $now.AddYears(1))
        $cert.ExportCertificatePem() + "`n"
    } finally { $key.Dispose() }
}

function Measure-RawHandshake {
    # The plugin's own start: Process.Start to its handshake line on stdout, nothing else. Then it is killed.
    param([string] $Path, [hashtable] $Environment, [switch] $FirstCall)
    $line = $null
    $socketDir = [IO.Directory]::CreateTempSubdirectory('rpcbench-').FullName
    $psi = [Diagnostics.ProcessStartInfo]::new($Path)
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.RedirectStandardInput = $true
    $psi.Environment.Remove('PLUGIN_CLIENT_CERT') | Out-Null
    $psi.Environment['PLUGIN_MIN_PORT'] = '10000'; $psi.Environment['PLUGIN_MAX_PORT'] = '25000'
    $psi.Environment['PLUGIN_UNIX_SOCKET_DIR'] = $socketDir
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
    $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
    $process = [Diagnostics.Process]::Start($psi)
    Add-Tracked $process.Id "raw $([IO.Path]::GetFileName($Path))"
    try {
        $stderr = $process.StandardError.ReadToEndAsync()   # drained so it can never block the plugin
        $read = $process.StandardOutput.ReadLineAsync()
        if (-not $read.Wait(30000)) { throw "$Path printed no handshake line within 30 s." }
        $ms = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds
        $line = $read.Result
        if (-not $line -or ($line -split '\|').Count -lt 5) { throw "$Path printed '$line' instead of a handshake (stderr: $($stderr.Status))." }
        $firstMs = $null
        if ($FirstCall) {
            # Plaintext only: dial the socket with a new compiled-stub channel and make one call.
            $null = $script:stubType::FirstCall(($line -split '\|')[3])
            $firstMs = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds
        }
        [pscustomobject]@{ Milliseconds = $ms; Line = $line; FirstCallMilliseconds = $firstMs }
    } finally {
        try { $process.Kill($true) } catch { }
        $process.WaitForExit(5000) | Out-Null
        $process.Dispose()
        if ($line) {
            # go-plugin's socket lives in $TMPDIR, not PLUGIN_UNIX_SOCKET_DIR; a killed plugin leaves it behind.
            $address = ($line -split '\|')[3]
            if ($address.StartsWith('/') -and (Test-Path $address)) { Remove-Item $address -Force -ErrorAction SilentlyContinue }
        }
        Remove-Item $socketDir -Recurse -Force -ErrorAction SilentlyContinue
    }
}
