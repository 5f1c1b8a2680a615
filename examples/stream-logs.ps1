<#
.SYNOPSIS
    Streams a plugin's log live while making calls to it.

.DESCRIPTION
    Starts a plugin, then follows its log (Get-RpcPluginLog -Wait) in a background thread job while this script
    calls a method on it. Each log line is printed the moment the plugin writes it, coloured by level, while the
    calls go on in the foreground - the way you would watch a plugin's log in one terminal and drive it in another,
    in one script.

    The thread job gets the live session object (thread jobs share the process, so no serialisation), imports the
    module in its own runspace and follows the session's log. Get-RpcPluginLog -Wait ends by itself when the plugin
    stops, so stopping the plugin also ends the job; the script then collects what was streamed and prints a
    summary by level.

    The default calls are testplugin.Echo/Log on this repository's test plugin: each call makes the plugin write
    one hclog line ("call 1 from stream-logs", ...), every third at warn level.

.PARAMETER PluginPath
    The plugin to start. Default: this repository's test plugin (out/TestPlugin/TestPlugin).

.PARAMETER MagicCookieKey
    The handshake cookie's variable (default PLUGIN_MAGIC_COOKIE, the test plugin's).

.PARAMETER MagicCookieValue
    The handshake cookie's value (default test_cookie_value).

.PARAMETER Method
    The method to call (default testplugin.Echo/Log).

.PARAMETER Request
    A script block that makes the request of call number $args[0] (1, 2, ...). Default: a testplugin.Echo/Log
    request whose message is "call <n> from stream-logs", at warn level for every third call, info otherwise.

.PARAMETER Count
    How many calls to make (default 5).

.PARAMETER Interval
    The pause between calls in seconds (default 0.2), so the log visibly streams in between.

.PARAMETER Level
    The lowest level to stream (Trace, Debug, Info, Warn, Error; default Debug).

.PARAMETER ModulePath
    The RpcPlugin module: a path to RpcPlugin.psd1, or 'RpcPlugin' when installed. Default: this repository's
    out/RpcPlugin, else the installed module.

.PARAMETER PassThru
    Write the streamed log entries (RpcPlugin log entry objects) to the pipeline at the end.

.EXAMPLE
    ./examples/stream-logs.ps1

    [log 14:02:11.391] Info  configuring server automatic mTLS
    [log 14:02:11.912] Debug plugin address network=unix address=/tmp/rpcplugin-x/plugin123
    -> call 1: testplugin.Echo/Log
    [log 14:02:12.120] Info  call 1 from stream-logs call=1
    -> call 2: testplugin.Echo/Log
    ...

.EXAMPLE
    ./examples/stream-logs.ps1 -PluginPath ./my-plugin -MagicCookieKey MY_PLUGIN -MagicCookieValue yes `
        -Method my.Service/Sync -Request { @{ batch = $args[0] } } -Count 20 -Level Warn

    Watches only the warnings and errors of your own plugin while calling my.Service/Sync twenty times.
#>
#Requires -Version 7.4
[CmdletBinding()]
param(
    [string] $PluginPath = (Join-Path $PSScriptRoot '../out/TestPlugin/TestPlugin'),
    [string] $MagicCookieKey = 'PLUGIN_MAGIC_COOKIE',
    [string] $MagicCookieValue = 'test_cookie_value',
    [string] $Method = 'testplugin.Echo/Log',
    [scriptblock] $Request = {
        $n = $args[0]
        @{ level = if ($n % 3 -eq 0) { 'warn' } else { 'info' }; message = "call $n from stream-logs"; fields = @{ call = "$n" } }
    },
    [ValidateRange(1, 100000)]
    [int] $Count = 5,
    [ValidateRange(0, 3600)]
    [double] $Interval = 0.2,
    [ValidateSet('Trace', 'Debug', 'Info', 'Warn', 'Error')]
    [string] $Level = 'Debug',
    [string] $ModulePath = $(
        $built = Join-Path $PSScriptRoot '../out/RpcPlugin/RpcPlugin.psd1'
        if (Test-Path $built) { (Resolve-Path $built).Path } else { 'RpcPlugin' }
    ),
    [switch] $PassThru
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$session = Start-RpcPlugin $PluginPath -Name stream-logs -MagicCookieKey $MagicCookieKey -MagicCookieValue $MagicCookieValue
$follower = $null
try {
    Write-Host "Started $($session.Name) (pid $($session.ProcessId)); following its log from a thread job." -ForegroundColor Cyan

    # The follower: a thread job in this process. -StreamingHost makes its Write-Host output appear at once, while
    # the foreground is busy with calls; the entries themselves are its output, collected at the end.
    # Nothing is lost before it starts following (the log keeps the plugin's recent lines and -Wait writes those
    # first), but waiting until it shows its first line keeps the screen in order.
    $ready = [System.Threading.ManualResetEventSlim]::new($false)
    $follower = Start-ThreadJob -Name "log:$($session.Name)" -StreamingHost $Host -ArgumentList $session, $ModulePath, $Level, $ready -ScriptBlock {
        param($session, $modulePath, $level, $ready)
        Import-Module $modulePath
        $colours = @{ Trace = 'DarkGray'; Debug = 'Gray'; Info = 'White'; Warn = 'Yellow'; Error = 'Red' }
        Get-RpcPluginLog -Session $session -Level $level -Wait | ForEach-Object {
            $fields = if ($_.Fields -and $_.Fields.Count) { ' ' + (($_.Fields.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ' ') } else { '' }
            $colour = $colours["$($_.Level)"]; if (-not $colour) { $colour = 'Gray' }
            Write-Host ('[log {0:HH:mm:ss.fff}] {1,-5} {2}{3}' -f $_.Time.ToLocalTime(), $_.Level, $_.Message, $fields) -ForegroundColor $colour
            $_
            if (-not $ready.IsSet) { $ready.Set() }
        }
    }

    $null = $ready.Wait([timespan]::FromSeconds(10))

    foreach ($n in 1..$Count) {
        Write-Host "-> call ${n}: $Method" -ForegroundColor Cyan
        $null = Invoke-RpcPluginMethod $session $Method (& $Request $n)
        Start-Sleep -Milliseconds ($Interval * 1000)
    }

    # Let the follower catch up with the last call's line (it normally has already), then stop the plugin: the
    # follower's Get-RpcPluginLog -Wait ends when the session closes.
    $lastLine = (Get-RpcPluginLog -Session $session | Select-Object -Last 1).Line
    # (6>$null: the job's Write-Host lines were shown live already; only its output, the entries, is wanted.)
    $deadline = [datetime]::UtcNow.AddSeconds(5)
    while ([datetime]::UtcNow -lt $deadline -and -not (@(Receive-Job $follower -Keep 6>$null).Line -contains $lastLine)) { Start-Sleep -Milliseconds 50 }
}
finally {
    $session | Stop-RpcPlugin
    Write-Host "Stopped $($session.Name): exit code $($session.ExitCode)." -ForegroundColor Cyan
    if ($follower) {
        if (-not (Wait-Job $follower -Timeout 10)) {
            Write-Warning 'The log follower did not end with the plugin; stopping it.'
            Stop-Job $follower
        }
        $streamed = @(Receive-Job $follower -ErrorAction Continue 6>$null)
        Remove-Job $follower -Force
    }
}

$byLevel = ($streamed | Group-Object Level | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '
Write-Host "Streamed $($streamed.Count) log entries while making $Count calls ($byLevel)." -ForegroundColor Green
if ($PassThru) { $streamed }
