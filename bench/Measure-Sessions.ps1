#Requires -Version 7.4
<#
.SYNOPSIS
    The in-process rows of the benchmarks, run by Invoke-Benchmarks.ps1 in a fresh pwsh (so the module, its load
    context and the "first start in the process" are this run's own). Not meant to be called directly.

.DESCRIPTION
    Measures, each pair side by side and interleaved (ours, against, against, ours, ...), the rows unary,
    process, server-stream, client-stream, go-unary, go-stream, start-*, memory-*, soak-* and scale, and writes
    the raw samples and their statistics to -ResultFile as JSON. Every plugin process it starts is stopped in
    finally blocks; whatever is still alive at the end is killed.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TestPlugin,
    [string] $PeersDir,
    [switch] $Quick,
    [Parameter(Mandatory)] [string] $StubDll,
    [Parameter(Mandatory)] [string] $StubExe,
    [Parameter(Mandatory)] [string] $ResultFile,
    # Run only rows whose id starts with one of these (e.g. unary, start, go); default all.
    [string[]] $Only
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
if ($Only) { $Only = @($Only -split ',' | ForEach-Object Trim | Where-Object { $_ }) }

# Sizes: full (issue 6) and quick (CI: the harness must run, numbers are not judged).
$size = if ($Quick) {
    @{ UnaryCalls = 200; UnaryReps = 10; WarmCalls = 50; ProcessRuns = 3; ProcessOursCalls = 120; ProcessOursReps = 3
       StreamCount = 5000; StreamReps = 3; ClientCount = 5000; ClientReps = 3
       GoCalls = 200; GoReps = 4; GoStreamCount = 5000; GoStreamReps = 3
       StartReps = 3; MemorySessions = 5; SoakCalls = 5000; ScaleRunspaces = 4; ScalePlugins = 2; ScaleCalls = 3 }
} else {
    @{ UnaryCalls = 5000; UnaryReps = 50; WarmCalls = 20000; ProcessRuns = 20; ProcessOursCalls = 1000; ProcessOursReps = 5
       StreamCount = 100000; StreamReps = 7; ClientCount = 100000; ClientReps = 5
       GoCalls = 5000; GoReps = 10; GoStreamCount = 100000; GoStreamReps = 5
       StartReps = 10; MemorySessions = 50; SoakCalls = 200000; ScaleRunspaces = 16; ScalePlugins = 4; ScaleCalls = 5 }
}

$TestPlugin = (Resolve-Path $TestPlugin).Path
$ModulePath = (Resolve-Path $ModulePath).Path
$script:rows = [ordered]@{}
$script:tracked = [Collections.Generic.List[object]]::new()
$script:main = $null; $script:plain = $null; $script:go = $null
$script:goPlugin = $null; $script:goHost = $null; $script:peersSkip = $null

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

# ------------------------------------------------------------------------------------------------------------

$meta = [ordered]@{ quick = [bool]$Quick; sizes = $size; module = $ModulePath; testplugin = $TestPlugin; peers = $PeersDir }
try {
    Import-Module $ModulePath
    $meta['module_version'] = (Get-Module RpcPlugin).Version.ToString()

    if (-not $PeersDir) { $script:peersSkip = 'no -PeersDir given (build them with tests/peers/build.sh <dir>)' }
    else {
        $script:goPlugin = Join-Path $PeersDir 'go-echo-plugin'; $script:goHost = Join-Path $PeersDir 'go-host'
        if (-not (Test-Path $script:goPlugin) -or -not (Test-Path $script:goHost)) {
            $script:peersSkip = "go peers not built in $PeersDir (tests/peers/build.sh $PeersDir; skipped when the Go toolchain is absent)"
        }
    }

    # The first start of the process (excluded from the start row, which measures warm starts).
    Write-Host '-- setup' -ForegroundColor Cyan
    $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
    $script:main = Start-Session $TestPlugin 'bench-main' @{ ProtocolVersion = 1, 2 }
    $meta['first_start_ms'] = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds
    if (-not $script:main.Tls) { throw 'The main session is not TLS: AutoMTLS expected.' }
    Write-Step ("first start {0:N0} ms; main session pid {1}, {2}, TLS {3}" -f $meta['first_start_ms'], $script:main.ProcessId, $script:main.Network, $script:main.Tls)

    Invoke-Row 'unary' {
        $invoker = Get-CallInvoker $script:main
        $stub = Get-StubType $invoker
        $batch = [int][Math]::Ceiling($size.UnaryCalls / $size.UnaryReps)
        # Steady state: both sides run until tiered JIT has settled (the first thousands of calls are up to twice as slow).
        $warm = $size.WarmCalls
        $null = Measure-OursUnary $script:main $warm; $null = $stub::Unary($invoker, $warm); $null = Measure-LoopOverStub $stub $invoker $warm
        $null = Measure-OursUnaryRaw $script:main $warm
        $ours = @(); $against = @(); $floor = @(); $raw = @(); $cmdlet = @()
        for ($r = 0; $r -lt $size.UnaryReps; $r++) {
            if ($r % 2 -eq 0) {
                $ours += Measure-OursUnary $script:main $batch; $against += $stub::Unary($invoker, $batch) * 1000 / $batch
            } else {
                $against += $stub::Unary($invoker, $batch) * 1000 / $batch; $ours += Measure-OursUnary $script:main $batch
            }
            $floor += Measure-LoopOverStub $stub $invoker $batch
            $raw += Measure-OursUnaryRaw $script:main $batch
            $cmdlet += Measure-TrivialCmdlet $batch
        }
        Write-Step ("ours {0:N1} µs/call, stub {1:N1} µs/call" -f (Get-SampleStats $ours).median, (Get-SampleStats $against).median)
        @{ unary = [ordered]@{
            ours = New-Sample 'Invoke-RpcPluginMethod testplugin.Echo/Unary in a foreach loop' $ours ($batch * $size.UnaryReps)
            against = New-Sample 'compiled Grpc.Net.Client stub, same process, same CallInvoker (unix socket, AutoMTLS)' $against ($batch * $size.UnaryReps)
            unit = 'µs/call'
            diagnostics = [ordered]@{
                'foreach calling the stub once per iteration (µs/call)' = Get-SampleStats $floor
                'Invoke-RpcPluginMethod -Raw, no PSObject output (µs/call)' = Get-SampleStats $raw
                'foreach calling Write-Output, a trivial cmdlet (µs/call)' = Get-SampleStats $cmdlet
            }
        } }
    }

    Invoke-Row 'process' {
        $script:plain = Start-Session $TestPlugin 'bench-plain' @{ ProtocolVersion = 1, 2; NoAutoMtls = $true }
        if ($script:plain.Network -ne 'unix') { throw "The plaintext session is on $($script:plain.Network), not a unix socket." }
        $address = $script:plain.Address
        # A run that fails is retried (twice at most) and counted: only successful runs are timed.
        $script:processFailures = [Collections.Generic.List[string]]::new()
        $call = {
            for ($try = 1; ; $try++) {
                $run = Invoke-TimedProcess $StubExe @('call', $address) -TimeoutSeconds 60
                if ($run.ExitCode -eq 0 -and $run.Stdout.Trim() -eq 'x') { return $run.Milliseconds * 1000 }
                $why = ($run.Stderr -split "`n" | Where-Object { $_ -match 'Exception' } | Select-Object -First 1)
                $script:processFailures.Add("exit $($run.ExitCode): $(if ($why) { $why.Trim() } else { $run.Stdout.Trim() })")
                if ($try -ge 3) { throw "BenchStub call failed 3 times in a row; last: $($script:processFailures[-1])" }
            }
        }
        $null = & $call   # untimed: the first run pays for cold files
        $batch = [int][Math]::Ceiling($size.ProcessOursCalls / $size.ProcessOursReps)
        $null = Measure-OursUnary $script:plain $batch
        $ours = @(); $against = @()
        $perRep = [Math]::Max(1, [int][Math]::Ceiling($size.ProcessRuns / $size.ProcessOursReps))
        for ($r = 0; $r -lt $size.ProcessOursReps; $r++) {
            $ours += Measure-OursUnary $script:plain $batch
            for ($k = 0; $k -lt $perRep -and $against.Count -lt $size.ProcessRuns; $k++) { $against += & $call }
        }
        while ($against.Count -lt $size.ProcessRuns) { $against += & $call }
        Write-Step ("ours {0:N1} µs/call, one process per call {1:N0} µs" -f (Get-SampleStats $ours).median, (Get-SampleStats $against).median)
        @{ process = [ordered]@{
            ours = New-Sample 'Invoke-RpcPluginMethod unary loop, plaintext session (-NoAutoMtls)' $ours ($batch * $size.ProcessOursReps)
            against = New-Sample 'BenchStub call <socket>: one .NET process per call (start, dial, 1 call, exit), plaintext' $against $against.Count
            unit = 'µs/call'
            diagnostics = [ordered]@{ 'failed runs (retried, not timed)' = "$($script:processFailures.Count)$(if ($script:processFailures.Count) { ': ' + ($script:processFailures | Select-Object -Unique -First 3) -join ' | ' })" }
        } }
    }

    Invoke-Row 'server-stream' {
        $invoker = Get-CallInvoker $script:main
        $stub = Get-StubType $invoker
        $n = $size.StreamCount
        $oursRun = {
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            $m = Invoke-RpcPluginMethod $script:main testplugin.Echo/ServerStream @{ count = $n } | Measure-Object
            $us = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $n
            if ($m.Count -ne $n) { throw "ServerStream gave $($m.Count) of $n messages." }
            $us
        }
        $stubRun = {
            $res = $stub::ServerStream($invoker, $n)
            if ($res[1] -ne $n) { throw "The stub read $($res[1]) of $n messages." }
            $res[0] * 1000 / $n
        }
        $null = $stub::ServerStream($invoker, [Math]::Min($n, 2000)); $null = Invoke-RpcPluginMethod $script:main testplugin.Echo/ServerStream @{ count = [Math]::Min($n, 2000) } | Measure-Object
        # The consumer's own cost: Measure-Object over N reply-shaped PSObjects already in memory.
        $sample = Invoke-RpcPluginMethod $script:main testplugin.Echo/Unary @{ message = 'x' }
        $items = [object[]]::new($n); for ($i = 0; $i -lt $n; $i++) { $items[$i] = $sample }
        $consumer = {
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            $null = $items | Measure-Object
            [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $n
        }
        $ours = @(); $against = @(); $floor = @()
        for ($r = 0; $r -lt $size.StreamReps; $r++) {
            if ($r % 2 -eq 0) { $ours += & $oursRun; $against += & $stubRun } else { $against += & $stubRun; $ours += & $oursRun }
            $floor += & $consumer
        }
        Write-Step ("ours {0:N2} µs/msg, stub {1:N2} µs/msg" -f (Get-SampleStats $ours).median, (Get-SampleStats $against).median)
        @{ 'server-stream' = [ordered]@{
            ours = New-Sample "Invoke-RpcPluginMethod testplugin.Echo/ServerStream @{count=$n} | Measure-Object" $ours ($n * $size.StreamReps)
            against = New-Sample 'compiled stub reading the same stream, same CallInvoker' $against ($n * $size.StreamReps)
            unit = 'µs/message'
            diagnostics = [ordered]@{ "`$items | Measure-Object over $n reply objects already in memory (µs/item)" = Get-SampleStats $floor }
        } }
    }

    Invoke-Row 'client-stream' {
        $invoker = Get-CallInvoker $script:main
        $stub = Get-StubType $invoker
        $n = $size.ClientCount
        $oursRun = {
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            $summary = 1..$n | ForEach-Object { @{ message = 'x' } } | Invoke-RpcPluginMethod $script:main testplugin.Echo/ClientStream
            $us = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $n
            if ($summary.count -ne $n) { throw "ClientStream counted $($summary.count) of $n." }
            $us
        }
        $stubRun = {
            $res = $stub::ClientStream($invoker, $n)
            if ($res[1] -ne $n) { throw "The plugin counted $($res[1]) of the stub's $n." }
            $res[0] * 1000 / $n
        }
        $generator = {
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            1..$n | ForEach-Object { @{ message = 'x' } } | Out-Null
            [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $n
        }
        $null = $stub::ClientStream($invoker, [Math]::Min($n, 2000))
        $null = 1..([Math]::Min($n, 2000)) | ForEach-Object { @{ message = 'x' } } | Invoke-RpcPluginMethod $script:main testplugin.Echo/ClientStream
        $ours = @(); $against = @(); $gen = @()
        for ($r = 0; $r -lt $size.ClientReps; $r++) {
            if ($r % 2 -eq 0) { $ours += & $oursRun; $against += & $stubRun } else { $against += & $stubRun; $ours += & $oursRun }
            $gen += & $generator
        }
        Write-Step ("ours {0:N2} µs/item, stub {1:N2} µs/item, generator alone {2:N2}" -f (Get-SampleStats $ours).median, (Get-SampleStats $against).median, (Get-SampleStats $gen).median)
        @{ 'client-stream' = [ordered]@{
            ours = New-Sample "1..$n | % { @{message='x'} } | Invoke-RpcPluginMethod testplugin.Echo/ClientStream" $ours ($n * $size.ClientReps)
            against = New-Sample 'compiled stub writing the same requests, same CallInvoker' $against ($n * $size.ClientReps)
            unit = 'µs/item'
            diagnostics = [ordered]@{ "1..$n | % { @{message='x'} } | Out-Null alone (µs/item)" = Get-SampleStats $gen }
        } }
    }

    Invoke-Row 'go' {
        if ($script:peersSkip) { return @{ 'go-unary' = Skip-Row $script:peersSkip; 'go-stream' = Skip-Row $script:peersSkip } }
        $script:go = Start-Session $script:goPlugin 'bench-go' @{ MagicCookieKey = 'ECHO_PLUGIN'; MagicCookieValue = 'go-echo'; ProtocolVersion = 2 }
        if (-not $script:go.Tls -or $script:go.Network -ne 'unix') { throw "go-echo-plugin session: TLS $($script:go.Tls), $($script:go.Network); AutoMTLS over a unix socket expected." }
        $batch = [int][Math]::Ceiling($size.GoCalls / $size.GoReps)
        # The compiled stub on the same connection too: splits the gap into .NET client stack and cmdlet.
        $goInvoker = Get-CallInvoker $script:go
        $stub = Get-StubType $goInvoker
        $warm = $size.WarmCalls
        $null = Measure-OursGoUnary $script:go $warm; $null = $stub::GoUnary($goInvoker, $warm)
        $ours = @(); $against = @(); $starts = @(); $stubGo = @()
        for ($r = 0; $r -lt $size.GoReps; $r++) {
            $doGo = { $j = Invoke-GoHost @('call', 'echo', $script:goPlugin, "$batch"); $script:againstTmp = [double]$j.per_call_us; [double]$j.start_ms }
            if ($r % 2 -eq 0) { $ours += Measure-OursGoUnary $script:go $batch; $starts += & $doGo; $against += $script:againstTmp }
            else { $starts += & $doGo; $against += $script:againstTmp; $ours += Measure-OursGoUnary $script:go $batch }
            $stubGo += $stub::GoUnary($goInvoker, $batch) * 1000 / $batch
        }
        Write-Step ("unary: ours {0:N1} µs/call, go-host {1:N1} µs/call" -f (Get-SampleStats $ours).median, (Get-SampleStats $against).median)

        $n = $size.GoStreamCount
        $oursRun = {
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            $m = Invoke-RpcPluginMethod $script:go goecho.Echo/ServerStream @{ count = $n; text = 'x' } | Measure-Object
            $us = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds * 1000 / $n
            if ($m.Count -ne $n) { throw "goecho ServerStream gave $($m.Count) of $n." }
            $us
        }
        $null = Invoke-RpcPluginMethod $script:go goecho.Echo/ServerStream @{ count = [Math]::Min($n, 2000); text = 'x' } | Measure-Object
        $sOurs = @(); $sAgainst = @(); $sStub = @()
        for ($r = 0; $r -lt $size.GoStreamReps; $r++) {
            $doGo = { $j = Invoke-GoHost @('stream', $script:goPlugin, "$n"); if ([int]$j.messages -ne $n) { throw "go-host read $($j.messages) of $n." }; [double]$j.per_message_us }
            if ($r % 2 -eq 0) { $sOurs += & $oursRun; $sAgainst += & $doGo } else { $sAgainst += & $doGo; $sOurs += & $oursRun }
            $res = $stub::GoServerStream($goInvoker, $n); $sStub += $res[0] * 1000 / $n
        }
        Write-Step ("stream: ours {0:N2} µs/msg, go-host {1:N2} µs/msg" -f (Get-SampleStats $sOurs).median, (Get-SampleStats $sAgainst).median)
        @{
            'go-unary' = [ordered]@{
                ours = New-Sample 'Invoke-RpcPluginMethod goecho.Echo/Unary loop against go-echo-plugin (AutoMTLS, unix socket)' $ours ($batch * $size.GoReps)
                against = New-Sample "go-host call echo (go-plugin's Go client, AutoMTLS, unix socket), $batch calls per run" $against ($batch * $size.GoReps)
                unit = 'µs/call'
                diagnostics = [ordered]@{
                    'compiled Grpc.Net.Client stub on the same session connection (µs/call)' = Get-SampleStats $stubGo
                    'go-host start_ms during these runs' = Get-SampleStats $starts
                }
            }
            'go-stream' = [ordered]@{
                ours = New-Sample "Invoke-RpcPluginMethod goecho.Echo/ServerStream @{count=$n} | Measure-Object" $sOurs ($n * $size.GoStreamReps)
                against = New-Sample "go-host stream (go-plugin's Go client), $n messages per run" $sAgainst ($n * $size.GoStreamReps)
                unit = 'µs/message'
                diagnostics = [ordered]@{ 'compiled Grpc.Net.Client stub on the same session connection (µs/message)' = Get-SampleStats $sStub }
            }
        }
    }

    Invoke-Row 'start' {
        $pem = New-ClientCertificatePem
        $result = [ordered]@{}

        # TestPlugin: Start-RpcPlugin (AutoMTLS) against the plugin's own Process.Start-to-handshake-line time.
        $rawEnv = @{ PLUGIN_MAGIC_COOKIE = 'test_cookie_value'; PLUGIN_PROTOCOL_VERSIONS = '1,2'; PLUGIN_CLIENT_CERT = $pem }
        $oursRun = {
            param([string] $Path, [hashtable] $Extra)
            $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
            $s = Start-RpcPlugin $Path -Name bench-start @Extra
            $ms = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds
            Add-Tracked $s.ProcessId 'bench-start'
            Stop-Session $s
            $ms
        }
        $tpExtra = @{ ProtocolVersion = 1, 2 }
        $null = & $oursRun $TestPlugin $tpExtra; $null = Measure-RawHandshake $TestPlugin $rawEnv   # warm
        $ours = @(); $raw = @()
        for ($r = 0; $r -lt $size.StartReps; $r++) {
            if ($r % 2 -eq 0) { $ours += & $oursRun $TestPlugin $tpExtra; $raw += (Measure-RawHandshake $TestPlugin $rawEnv).Milliseconds }
            else { $raw += (Measure-RawHandshake $TestPlugin $rawEnv).Milliseconds; $ours += & $oursRun $TestPlugin $tpExtra }
        }
        Write-Step ("TestPlugin: Start-RpcPlugin {0:N1} ms, raw handshake {1:N1} ms" -f (Get-SampleStats $ours).median, (Get-SampleStats $raw).median)

        # Where the difference goes, plaintext (no certificates either side): the plugin's raw start to its
        # handshake line and on to the answer of a first call from a new compiled-stub channel, against
        # Start-RpcPlugin -NoAutoMtls.
        $null = Get-StubType (Get-CallInvoker $script:main)
        $plainEnv = @{ PLUGIN_MAGIC_COOKIE = 'test_cookie_value'; PLUGIN_PROTOCOL_VERSIONS = '1,2' }
        $plainExtra = @{ ProtocolVersion = 1, 2; NoAutoMtls = $true }
        $null = Measure-RawHandshake $TestPlugin $plainEnv -FirstCall
        $pHandshake = @(); $pFirst = @(); $pOurs = @()
        for ($r = 0; $r -lt [Math]::Max(2, [int]($size.StartReps / 2)); $r++) {
            $m = Measure-RawHandshake $TestPlugin $plainEnv -FirstCall
            $pHandshake += $m.Milliseconds; $pFirst += $m.FirstCallMilliseconds
            $pOurs += & $oursRun $TestPlugin $plainExtra
        }
        $result['start-testplugin'] = [ordered]@{
            diagnostics = [ordered]@{
                'plaintext: raw start to handshake line (ms)' = Get-SampleStats $pHandshake
                'plaintext: raw start to the first Unary reply on a new stub channel (ms)' = Get-SampleStats $pFirst
                'plaintext: Start-RpcPlugin -NoAutoMtls (ms)' = Get-SampleStats $pOurs
            }
            ours = New-Sample 'Start-RpcPlugin TestPlugin until Ready (AutoMTLS: client cert, launch, handshake, TLS connect, health check), warm' $ours $ours.Count
            against = New-Sample 'raw Process.Start of TestPlugin to its handshake line (same env incl. PLUGIN_CLIENT_CERT, so it makes its AutoMTLS cert too)' $raw $raw.Count
            unit = 'ms'
        }

        if ($script:peersSkip) {
            $result['start-go'] = Skip-Row $script:peersSkip
            $result['start-go-host'] = Skip-Row $script:peersSkip
        } else {
            $goExtra = @{ MagicCookieKey = 'ECHO_PLUGIN'; MagicCookieValue = 'go-echo'; ProtocolVersion = 2 }
            $goEnv = @{ ECHO_PLUGIN = 'go-echo'; PLUGIN_PROTOCOL_VERSIONS = '2'; PLUGIN_CLIENT_CERT = $pem }
            $null = & $oursRun $script:goPlugin $goExtra; $null = Measure-RawHandshake $script:goPlugin $goEnv; $null = Invoke-GoHost @('call', 'echo', $script:goPlugin, '0')
            $gOurs = @(); $gRaw = @(); $gHost = @()
            for ($r = 0; $r -lt $size.StartReps; $r++) {
                $steps = @(
                    { $script:gOursTmp = & $oursRun $script:goPlugin $goExtra },
                    { $script:gRawTmp = (Measure-RawHandshake $script:goPlugin $goEnv).Milliseconds },
                    { $script:gHostTmp = [double](Invoke-GoHost @('call', 'echo', $script:goPlugin, '0')).start_ms })
                # Rotate the order each repetition.
                for ($k = 0; $k -lt 3; $k++) { & $steps[($r + $k) % 3] }
                $gOurs += $script:gOursTmp; $gRaw += $script:gRawTmp; $gHost += $script:gHostTmp
            }
            Write-Step ("go-echo-plugin: Start-RpcPlugin {0:N1} ms, raw handshake {1:N1} ms, go-host start {2:N1} ms" -f (Get-SampleStats $gOurs).median, (Get-SampleStats $gRaw).median, (Get-SampleStats $gHost).median)
            $oursGo = New-Sample 'Start-RpcPlugin go-echo-plugin until Ready (AutoMTLS), warm' $gOurs $gOurs.Count
            $result['start-go'] = [ordered]@{
                ours = $oursGo
                against = New-Sample 'raw Process.Start of go-echo-plugin to its handshake line (PLUGIN_CLIENT_CERT set: AutoMTLS)' $gRaw $gRaw.Count
                unit = 'ms'
            }
            $result['start-go-host'] = [ordered]@{
                ours = $oursGo
                against = New-Sample "go-host start_ms: go-plugin's client NewClient+Client()+Dispense+Ping (AutoMTLS)" $gHost $gHost.Count
                unit = 'ms'
            }
        }
        $result
    }

    Invoke-Row 'memory' {
        $n = $size.MemorySessions
        $heap0 = Get-ManagedHeap; $private0 = Get-PrivateBytes; $fds0 = Get-OpenHandleCount
        $sessions = [Collections.Generic.List[object]]::new()
        try {
            for ($i = 1; $i -le $n; $i++) { $sessions.Add((Start-Session $TestPlugin "bench-mem-$i" @{ ProtocolVersion = 1, 2 })) }
            # Idle = started and its descriptors loaded (Start-RpcPlugin prefetches them in the background).
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (($sessions | Where-Object { $_.Services.Count -eq 0 }) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Start-Sleep -Milliseconds 500
            $heap1 = Get-ManagedHeap; $private1 = Get-PrivateBytes; $fds1 = Get-OpenHandleCount
        } finally {
            $sessions | Stop-RpcPlugin -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $sessions.Clear(); $sessions = $null   # what stays after this is the module's, not ours
        }
        Start-Sleep -Milliseconds 500
        $heap2 = Get-ManagedHeap; $private2 = Get-PrivateBytes
        $managed = ($heap1 - $heap0) / $n / 1MB
        $privateMb = ($private1 - $private0) / $n / 1MB
        Write-Step ("{0} sessions: {1:N3} MB managed, {2:N3} MB private bytes per session" -f $n, $managed, $privateMb)
        $diag = [ordered]@{
            'managed heap before / with sessions / after stopping (MB)' = '{0:N1} / {1:N1} / {2:N1}' -f ($heap0 / 1MB), ($heap1 / 1MB), ($heap2 / 1MB)
            'private bytes before / with sessions / after stopping (MB)' = '{0:N1} / {1:N1} / {2:N1}' -f ($private0 / 1MB), ($private1 / 1MB), ($private2 / 1MB)
            'open fds per session' = ($fds1 - $fds0) / $n
        }
        @{
            'memory-managed' = [ordered]@{ ours = New-Sample "managed heap (GC.GetTotalMemory after full GC) per idle session, $n sessions" @($managed) $n; unit = 'MB/session'; diagnostics = $diag }
            'memory-private' = [ordered]@{ ours = New-Sample "private bytes (smaps_rollup Private_*) per idle session, $n sessions" @($privateMb) $n; unit = 'MB/session' }
        }
    }

    Invoke-Row 'soak' {
        $n = $size.SoakCalls
        $null = Measure-OursUnary $script:main 1000
        $heap0 = Get-ManagedHeap; $fds0 = Get-OpenHandleCount; $threads0 = [Diagnostics.Process]::GetCurrentProcess().Threads.Count
        $checkpoints = @()
        $chunk = [int][Math]::Ceiling($n / 4); $done = 0; $times = @()
        while ($done -lt $n) {
            $count = [Math]::Min($chunk, $n - $done)
            $times += Measure-OursUnary $script:main $count
            $done += $count
            $checkpoints += '{0}: {1:N2} MB, {2} fds' -f $done, ((Get-ManagedHeap) / 1MB), (Get-OpenHandleCount)
            Write-Step ("{0}/{1} calls, {2:N0} µs/call; {3}" -f $done, $n, $times[-1], $checkpoints[-1])
        }
        $heap1 = Get-ManagedHeap; $fds1 = Get-OpenHandleCount; $threads1 = [Diagnostics.Process]::GetCurrentProcess().Threads.Count
        $growthMb = ($heap1 - $heap0) / 1MB
        Write-Step ("{0} calls: heap {1:N2} -> {2:N2} MB, fds {3} -> {4}" -f $n, ($heap0 / 1MB), ($heap1 / 1MB), $fds0, $fds1)
        $diag = [ordered]@{
            'heap after GC at each quarter' = $checkpoints -join '; '
            'bytes of heap growth per call' = [Math]::Round(($heap1 - $heap0) / $n, 3)
            'threads before / after' = "$threads0 / $threads1"
            'µs/call over the soak (per quarter)' = ($times | ForEach-Object { '{0:N1}' -f $_ }) -join ', '
        }
        @{
            'soak-heap' = [ordered]@{ ours = New-Sample "managed heap growth after GC over $n unary calls (before: $('{0:N2}' -f ($heap0 / 1MB)) MB)" @($growthMb) $n; unit = 'MB'; diagnostics = $diag }
            'soak-handles' = [ordered]@{ ours = New-Sample "open file descriptors growth over $n unary calls (before: $fds0)" @([double]($fds1 - $fds0)) $n; unit = 'fds' }
        }
    }

    Invoke-Row 'scale' {
        $runspaces = $size.ScaleRunspaces; $plugins = $size.ScalePlugins; $calls = $size.ScaleCalls
        $shared = $script:main
        $t0 = [Diagnostics.Stopwatch]::GetTimestamp()
        $results = 1..$runspaces | ForEach-Object -ThrottleLimit $runspaces -Parallel {
            $ErrorActionPreference = 'Stop'
            $r = $_; $errors = [Collections.Generic.List[string]]::new(); $pids = @(); $made = 0; $step = 'import'; $crossTalk = 0
            $sessions = @()
            try {
                Import-Module $using:ModulePath
                $step = 'start'
                foreach ($p in 1..$using:plugins) { $sessions += Start-RpcPlugin $using:TestPlugin -Name "r$r-p$p" -ProtocolVersion 1, 2 -StartTimeout 60 }
                $step = 'calls'
                $pids = @($sessions.ProcessId)
                foreach ($k in 1..$using:calls) {
                    foreach ($s in $sessions) {
                        $msg = "$($s.Name)-c$k"
                        $reply = Invoke-RpcPluginMethod $s testplugin.Echo/Unary @{ message = $msg }
                        $made++
                        if ($reply.message -ne $msg -or $reply.pid -ne $s.ProcessId) { $crossTalk++; $errors.Add("cross-talk: $msg came back as '$($reply.message)' from pid $($reply.pid), expected pid $($s.ProcessId)") }
                    }
                    # The parent's session, shared by every runspace: concurrent calls on one connection.
                    $msg = "r$r-shared-c$k"
                    $reply = Invoke-RpcPluginMethod ($using:shared) testplugin.Echo/Unary @{ message = $msg }
                    $made++
                    if ($reply.message -ne $msg) { $crossTalk++; $errors.Add("cross-talk: shared session: $msg came back as '$($reply.message)'") }
                }
                $mine = @(Get-RpcPlugin)
                $foreign = @($mine | Where-Object { $_.Name -notlike "r$r-*" })
                if ($mine.Count -ne $using:plugins -or $foreign.Count -gt 0) { $crossTalk++; $errors.Add("cross-talk: Get-RpcPlugin in runspace $r shows $($mine.Count) sessions ($($mine.Name -join ', '))") }
            } catch {
                $errors.Add("runspace ${r}, $step (after $made calls, $($sessions.Count) sessions started): [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)")
            } finally {
                $sessions | Stop-RpcPlugin -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            }
            [pscustomobject]@{ Runspace = $r; Pids = $pids; Calls = $made; CrossTalk = $crossTalk; Errors = $errors.ToArray() }
        }
        $seconds = [Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalSeconds
        foreach ($res in $results) { foreach ($id in $res.Pids) { Add-Tracked $id "scale r$($res.Runspace)" } }
        $errors = @($results | ForEach-Object { $_.Errors })
        $callsMade = ($results | Measure-Object Calls -Sum).Sum
        $crossTalk = ($results | Measure-Object CrossTalk -Sum).Sum
        $pass = $errors.Count -eq 0 -and @($results).Count -eq $runspaces -and $callsMade -eq $runspaces * $calls * ($plugins + 1)
        Write-Step ("{0} runspaces x {1} plugins: {2:N1} s, {3} calls, {4}" -f $runspaces, $plugins, $seconds, $callsMade, $(if ($pass) { 'pass' } else { 'FAIL' }))
        @{ scale = [ordered]@{
            ours = New-Sample "ForEach-Object -Parallel: $runspaces runspaces x $plugins own TestPlugins each (+ 1 shared session), $calls calls per session: start (-StartTimeout 60), call, check, stop" @($seconds) $callsMade
            unit = 's'
            pass = $pass
            diagnostics = [ordered]@{
                'cross-talk (replies or sessions seen by the wrong runspace)' = $crossTalk
                'other failures' = $errors.Count - $crossTalk
                errors = ($errors | Select-Object -First 10) -join ' | '
                sessions = $runspaces * $plugins
                'calls made / planned' = "$callsMade / $($runspaces * $calls * ($plugins + 1))"
            }
        } }
    }
} catch {
    Write-Host "fatal: $($_.Exception.Message) ($($_.InvocationInfo.ScriptName):$($_.InvocationInfo.ScriptLineNumber))" -ForegroundColor Red
    $meta['fatal'] = $_.Exception.Message
} finally {
    Write-Host '-- cleanup' -ForegroundColor Cyan
    foreach ($s in @($script:go, $script:plain, $script:main)) { Stop-Session $s }
    if (Get-Module RpcPlugin) {
        Get-RpcPlugin | Stop-RpcPlugin -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    }
    $left = @($script:tracked | Where-Object { Test-ProcessAlive $_.Pid })
    foreach ($p in $left) { Write-Host "  killing straggler pid $($p.Pid) ($($p.What))" -ForegroundColor Yellow; Stop-ProcessTree $p.Pid -GraceMilliseconds 500 }
    $meta['stragglers_killed'] = $left.Count
    $meta['processes_started'] = $script:tracked.Count
    [ordered]@{ meta = $meta; rows = $script:rows } | ConvertTo-Json -Depth 8 | Set-Content -Path $ResultFile -Encoding utf8
    Remove-Module RpcPlugin -ErrorAction SilentlyContinue
}
