<#
.SYNOPSIS
    Health-checks many go-plugin plugins in parallel and prints a summary table.

.DESCRIPTION
    Each plugin is started in its own runspace (ForEach-Object -Parallel), checked with Test-RpcPlugin -Detailed
    (the gRPC health service "plugin", then "", plus process liveness), timed, and stopped again (Shutdown RPC,
    then SIGTERM, then the whole process tree is killed). A plugin that cannot even start - wrong cookie, no
    handshake, missing file - is reported as unhealthy with the reason instead of stopping the run.

    The summary table has one row per plugin: Name, Healthy, Status (the health status such as SERVING, or the
    error that stopped the check, e.g. MagicCookieRejected), ResponseMs (the health call), StartMs (process start
    to connected session), Pid and ExitCode (after the stop: 0 when the plugin exited by itself on the Shutdown
    RPC); under it, one line per unhealthy plugin says why ("name: detail").

    The script exits with code 1 when any plugin is unhealthy, so it can gate a deployment or feed a monitoring
    check: `pwsh -File health-check.ps1 ...; if ($LASTEXITCODE) { ... }`.

    No plugin is left running: every session is stopped in a finally block, and the module stops a runspace's
    sessions when that runspace closes anyway.

.PARAMETER Plugin
    The plugins to check. Each is a hashtable or an object (e.g. a row of Import-Csv) with:
      Path              the plugin executable (required)
      Name              the name shown in the table (default: the file name)
      MagicCookieKey    the handshake cookie's variable  } default: PLUGIN_MAGIC_COOKIE_KEY/_VALUE from the
      MagicCookieValue  and value                        } environment, else PLUGIN_MAGIC_COOKIE=test_cookie_value
      ProtocolVersion   app protocol version(s) to offer (default 1; a CSV cell may say "1,2")
      Environment       a hashtable of extra environment variables for the plugin
      ArgumentList      arguments for the plugin
    A plain string is taken as a Path. Pipeline input is accepted.
    Default: this repository's plugins - the test plugin over a unix socket and over TCP, and the example KV plugin.

.PARAMETER ModulePath
    The RpcPlugin module to import in each runspace: a path to RpcPlugin.psd1, or 'RpcPlugin' when the module is
    installed. Default: the module built into this repository's out/RpcPlugin, else the installed one.

.PARAMETER ThrottleLimit
    How many plugins are checked at the same time (default 8).

.PARAMETER StartTimeout
    How long each plugin may take to start and complete its handshake (default 30 seconds).

.PARAMETER HealthTimeout
    How long each health call may take (default 5 seconds).

.PARAMETER PassThru
    Also write the result objects to the pipeline (the table is always shown).

.EXAMPLE
    ./examples/health-check.ps1

    Checks this repository's own plugins (after `build.ps1 Build`):

    Name           Healthy Status  ResponseMs StartMs   Pid ExitCode
    ----           ------- ------  ---------- -------   --- --------
    testplugin        True SERVING      14.20  611.90 40211        0
    testplugin-tcp    True SERVING      12.80  634.00 40215        0
    kv                True SERVING      13.50  597.30 40218        0

    3 of 3 plugins healthy

.EXAMPLE
    $tf = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2'
    ./examples/health-check.ps1 -Plugin @(
        @{ Name = 'aws';   Path = './terraform-provider-aws';   MagicCookieKey = 'TF_PLUGIN_MAGIC_COOKIE'; MagicCookieValue = $tf; ProtocolVersion = 5 }
        @{ Name = 'local'; Path = './terraform-provider-local'; MagicCookieKey = 'TF_PLUGIN_MAGIC_COOKIE'; MagicCookieValue = $tf; ProtocolVersion = 5 }
    )

    Health-checks two Terraform providers (Terraform's handshake cookie, plugin protocol 5).

.EXAMPLE
    Import-Csv ./plugins.csv | ./examples/health-check.ps1 -PassThru | Where-Object { -not $_.Healthy } |
        ForEach-Object { Send-Alert "$($_.Name): $($_.Status) $($_.Detail)" }

    Reads the fleet from a CSV file with the columns Name, Path, MagicCookieKey, MagicCookieValue and
    ProtocolVersion, and alerts on every unhealthy plugin (Send-Alert stands for your own alerting).

.OUTPUTS
    With -PassThru, one PSCustomObject per plugin: Name, Healthy, Status, ResponseMs, StartMs, Pid, ExitCode,
    Detail, ErrorId, Path.
#>
#Requires -Version 7.4
[CmdletBinding()]
param(
    [Parameter(Position = 0, ValueFromPipeline)]
    [object[]] $Plugin = @(
        @{ Name = 'testplugin'; Path = (Join-Path $PSScriptRoot '../out/TestPlugin/TestPlugin')
           MagicCookieKey = 'PLUGIN_MAGIC_COOKIE'; MagicCookieValue = 'test_cookie_value'; ProtocolVersion = 1, 2 }
        @{ Name = 'testplugin-tcp'; Path = (Join-Path $PSScriptRoot '../out/TestPlugin/TestPlugin')
           MagicCookieKey = 'PLUGIN_MAGIC_COOKIE'; MagicCookieValue = 'test_cookie_value'; ProtocolVersion = 1, 2
           Environment = @{ TESTPLUGIN_NETWORK = 'tcp' } }
        @{ Name = 'kv'; Path = (Join-Path $PSScriptRoot '../out/examples/KvPlugin/KvPlugin')
           MagicCookieKey = 'BASIC_PLUGIN'; MagicCookieValue = 'hello' }
    ),

    [string] $ModulePath = $(
        $built = Join-Path $PSScriptRoot '../out/RpcPlugin/RpcPlugin.psd1'
        if (Test-Path $built) { (Resolve-Path $built).Path } else { 'RpcPlugin' }
    ),

    [ValidateRange(1, 256)]
    [int] $ThrottleLimit = 8,

    [double] $StartTimeout = 30,

    [double] $HealthTimeout = 5,

    [switch] $PassThru
)

begin {
    $ErrorActionPreference = 'Stop'
    $checks = [System.Collections.Generic.List[object]]::new()
}

process {
    foreach ($item in $Plugin) {
        # Normalise strings, hashtables and objects (CSV rows) to one shape, keeping the input order.
        $get = { param($name) if ($item -is [System.Collections.IDictionary]) { $item[$name] } else { $item.PSObject.Properties[$name].Value } }
        $path = if ($item -is [string]) { $item } else { & $get 'Path' }
        if (-not $path) { Write-Error "A plugin has no Path: $($item | Out-String)"; continue }
        $versions = if ($item -isnot [string]) { & $get 'ProtocolVersion' }
        if ($versions -is [string]) { $versions = $versions -split '[,; ]+' | Where-Object { $_ } }
        $checks.Add([pscustomobject]@{
            Index            = $checks.Count
            Name             = if ($item -isnot [string] -and (& $get 'Name')) { & $get 'Name' } else { Split-Path $path -Leaf }
            # Relative paths are resolved here (parallel runspaces may not share the location); a bare name is
            # left for Start-RpcPlugin to find on PATH.
            Path             = if (Test-Path -LiteralPath $path) { (Resolve-Path -LiteralPath $path).Path } else { $path }
            MagicCookieKey   = if ($item -isnot [string]) { & $get 'MagicCookieKey' }
            MagicCookieValue = if ($item -isnot [string]) { & $get 'MagicCookieValue' }
            ProtocolVersion  = @($versions | Where-Object { $_ } | ForEach-Object { [int] $_ })
            Environment      = if ($item -isnot [string]) { & $get 'Environment' }
            ArgumentList     = if ($item -isnot [string]) { @(& $get 'ArgumentList') | Where-Object { $null -ne $_ } }
        })
    }
}

end {
    $results = $checks | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
        $check = $_
        $ErrorActionPreference = 'Stop'
        $row = [ordered]@{
            Name = $check.Name; Healthy = $false; Status = $null; ResponseMs = $null; StartMs = $null; Pid = $null
            ExitCode = $null; Detail = $null; ErrorId = $null; Path = $check.Path; Index = $check.Index
        }
        $session = $null
        try {
            # Parallel runspaces share no modules or variables: each imports RpcPlugin, and its sessions belong to it.
            Import-Module $using:ModulePath
            $start = @{ Name = $check.Name; StartTimeout = $using:StartTimeout }
            if ($check.MagicCookieKey) { $start.MagicCookieKey = $check.MagicCookieKey; $start.MagicCookieValue = $check.MagicCookieValue }
            if ($check.ProtocolVersion) { $start.ProtocolVersion = $check.ProtocolVersion }
            if ($check.Environment) { $start.Environment = $check.Environment }
            if ($check.ArgumentList) { $start.ArgumentList = $check.ArgumentList }

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $session = Start-RpcPlugin $check.Path @start
            $row.StartMs = [math]::Round($clock.Elapsed.TotalMilliseconds, 1)
            $row.Pid = $session.ProcessId

            $health = Test-RpcPlugin $session -Detailed -Timeout $using:HealthTimeout
            $row.Healthy = [bool] $health.Healthy
            $row.Status = "$($health.Status)"
            if ($health.ResponseTime) { $row.ResponseMs = [math]::Round($health.ResponseTime.TotalMilliseconds, 1) }
            if (-not $health.Healthy) {
                $row.Detail = if (-not $health.ProcessAlive) { "process not alive ($($health.State))" } else { "health service '$($health.Service)' says $($health.Status)" }
            }
        } catch {
            # RpcPlugin's errors have stable ids: 'RpcPlugin.MagicCookieRejected,...' -> Status MagicCookieRejected.
            $row.ErrorId = ($_.FullyQualifiedErrorId -split ',')[0]
            $row.Status = $row.ErrorId -replace '^RpcPlugin\.', ''
            # The first line says what happened; when it introduces the plugin's own words, add the first of those.
            $lines = @($_.Exception.Message -split '\r?\n' | ForEach-Object Trim | Where-Object { $_ })
            $row.Detail = if ($lines.Count -gt 1 -and $lines[0].EndsWith(':')) { "$($lines[0]) $($lines[1])" } else { $lines[0] }
        } finally {
            if ($session) {
                $session | Stop-RpcPlugin -ErrorAction SilentlyContinue
                # 0 when it exited by itself on the Shutdown RPC; a signal number (negative) when it had to be killed.
                $row.ExitCode = $session.ExitCode
            }
        }
        [pscustomobject] $row
    }

    $results = @($results | Sort-Object Index | Select-Object * -ExcludeProperty Index)
    $results | Format-Table Name, Healthy, Status, ResponseMs, StartMs, Pid, ExitCode -AutoSize | Out-Host
    $unhealthy = @($results | Where-Object { -not $_.Healthy })
    # The reasons go under the table, one line each, so the table fits any terminal.
    foreach ($row in $unhealthy) { Write-Host "$($row.Name): $($row.Detail)" -ForegroundColor Yellow }
    Write-Host ('{0} of {1} plugins healthy' -f ($results.Count - $unhealthy.Count), $results.Count) -ForegroundColor ($unhealthy ? 'Red' : 'Green')
    if ($PassThru) { $results }
    if ($unhealthy) { exit 1 }
}
