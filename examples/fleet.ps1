<#
.SYNOPSIS
    Runs a plugin on many hosts at once over PowerShell remoting (SSH) and summarises the results.

.DESCRIPTION
    Scales out the way PowerShell does: one Invoke-Command fans out to every host in parallel (up to
    -ThrottleLimit at a time). On each host the script block imports RpcPlugin, starts the plugin there, checks its
    health, makes one call, stops it and sends back a small result; this script turns the results, and the hosts
    that could not be reached, into one table.

    Sessions live in the remote runspace and die with it: the plugin is a child of the remote pwsh and belongs to
    the runspace that started it. When the remote session closes - at the end of Invoke-Command -HostName, on
    Remove-PSSession, or when the connection drops - the remote pwsh stops that runspace's plugins (and if the
    remote pwsh is killed outright, the module's watchdog kills them). Nothing is left running on the hosts.

    Each host needs PowerShell 7.4+ with the RpcPlugin module and the plugin, and sshd with the PowerShell
    subsystem in its sshd_config:
        Subsystem powershell /usr/bin/pwsh -sshs -NoLogo
    (see about_Remote_Over_SSH); this machine needs the ssh client.

.PARAMETER HostName
    The hosts: names or addresses, optionally user@host:port. Default: localhost.

.PARAMETER UserName
    The SSH user (default: ssh's default, your user name).

.PARAMETER Port
    The SSH port (default: ssh's default, 22).

.PARAMETER KeyFilePath
    The SSH private key (default: ssh's default keys and agent).

.PARAMETER SshOption
    Extra ssh options (-o), e.g. @{ StrictHostKeyChecking = 'yes'; UserKnownHostsFile = '~/.ssh/fleet_hosts' }.

.PARAMETER Session
    Existing PSSessions (New-PSSession -HostName ...) to use instead of connecting: the plugin is started, used
    and stopped in each, and the sessions stay open.

.PARAMETER ModulePath
    The RpcPlugin module on the hosts: 'RpcPlugin' when it is installed there (Install-PSResource RpcPlugin), or a
    path to its RpcPlugin.psd1 on the hosts. Default: this repository's out/RpcPlugin path when it exists here
    (for hosts with the same checkout, such as this machine), else 'RpcPlugin'.

.PARAMETER PluginPath
    The plugin executable on the hosts. Default: this repository's test plugin path (out/TestPlugin/TestPlugin).

.PARAMETER MagicCookieKey
    The plugin's handshake cookie variable (default PLUGIN_MAGIC_COOKIE, the test plugin's).

.PARAMETER MagicCookieValue
    The plugin's handshake cookie value (default test_cookie_value).

.PARAMETER Method
    The method to call on each host (default testplugin.Echo/Unary).

.PARAMETER Request
    The request (default @{ message = 'hello from fleet.ps1' }).

.PARAMETER ThrottleLimit
    With -Session: how many sessions are worked on at the same time (default 32). Hosts given by -HostName are
    all contacted at once.

.PARAMETER PassThru
    Write one result object per host to the pipeline (the table is always shown).

.EXAMPLE
    ./examples/fleet.ps1 -HostName web1, web2, web3 -ModulePath RpcPlugin -PluginPath /opt/plugins/kv `
        -MagicCookieKey BASIC_PLUGIN -MagicCookieValue hello -Method proto.KV/Get -Request @{ key = 'release' }

    Host  Healthy Status  Pid   CallMs Reply
    ----  ------- ------  ---   ------ -----
    web1     True SERVING 31377   12.4 {"value":"djEuNC4y"}
    web2     True SERVING 29110   15.0 {"value":"djEuNC4y"}
    web3    False Unreachable
    web3: The SSH client session has ended with error message: ...

.EXAMPLE
    ./examples/fleet.ps1 -HostName 127.0.0.1:2222 -KeyFilePath ~/.ssh/id_ed25519 -PassThru |
        Where-Object { -not $_.Healthy }

.EXAMPLE
    # A plugin kept running in a persistent remote session, used by several calls, stopped with the session:
    $s = New-PSSession -HostName build01
    Invoke-Command $s { Import-Module RpcPlugin; $kv = Start-RpcPlugin /opt/plugins/kv -MagicCookieKey BASIC_PLUGIN -MagicCookieValue hello }
    Invoke-Command $s { Invoke-RpcPluginMethod $kv proto.KV/Put @{ key = 'a'; value = [byte[]](1) } }
    Invoke-Command $s { Get-RpcPlugin }
    Remove-PSSession $s      # the remote runspace closes: its plugin is stopped

.OUTPUTS
    With -PassThru, one object per host: Host, Healthy, Status, Pid, CallMs, Reply, ExitCode, Stopped, RemotePid,
    ModuleVersion, Error.
#>
#Requires -Version 7.4
[CmdletBinding(DefaultParameterSetName = 'HostName')]
param(
    [Parameter(ParameterSetName = 'HostName', Position = 0)]
    [string[]] $HostName = 'localhost',

    [Parameter(ParameterSetName = 'HostName')]
    [string] $UserName,

    [Parameter(ParameterSetName = 'HostName')]
    [ValidateRange(1, 65535)]
    [int] $Port,

    [Parameter(ParameterSetName = 'HostName')]
    [string] $KeyFilePath,

    [Parameter(ParameterSetName = 'HostName')]
    [hashtable] $SshOption,

    [Parameter(ParameterSetName = 'Session', Mandatory)]
    [System.Management.Automation.Runspaces.PSSession[]] $Session,

    [string] $ModulePath = $(
        $built = Join-Path $PSScriptRoot '../out/RpcPlugin/RpcPlugin.psd1'
        if (Test-Path $built) { (Resolve-Path $built).Path } else { 'RpcPlugin' }
    ),

    [string] $PluginPath = $(
        $built = Join-Path $PSScriptRoot '../out/TestPlugin/TestPlugin'
        if (Test-Path $built) { (Resolve-Path $built).Path } else { $built }
    ),

    [string] $MagicCookieKey = 'PLUGIN_MAGIC_COOKIE',
    [string] $MagicCookieValue = 'test_cookie_value',
    [string] $Method = 'testplugin.Echo/Unary',
    [hashtable] $Request = @{ message = 'hello from fleet.ps1' },

    [ValidateRange(1, 1024)]
    [int] $ThrottleLimit = 32,

    [switch] $PassThru
)

$ErrorActionPreference = 'Stop'

# What runs on each host. Everything it needs comes in as arguments; it sends back one plain object.
$onHost = {
    param($ModulePath, $PluginPath, $MagicCookieKey, $MagicCookieValue, $Method, $Request)
    $ErrorActionPreference = 'Stop'
    $result = [ordered]@{
        Healthy = $false; Status = $null; Pid = $null; CallMs = $null; Reply = $null; ExitCode = $null; Stopped = $null
        RemotePid = $PID; ModuleVersion = $null; Error = $null
    }
    $plugin = $null
    try {
        Import-Module $ModulePath
        $result.ModuleVersion = "$((Get-Module RpcPlugin).Version)"
        # The session belongs to this remote runspace: if anything below fails to stop it, closing the runspace will.
        $plugin = Start-RpcPlugin $PluginPath -Name fleet -MagicCookieKey $MagicCookieKey -MagicCookieValue $MagicCookieValue
        $result.Pid = $plugin.ProcessId

        $health = Test-RpcPlugin $plugin -Detailed
        $result.Healthy = [bool] $health.Healthy
        $result.Status = "$($health.Status)"

        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $result.Reply = Invoke-RpcPluginMethod $plugin $Method $Request -AsJson
        $result.CallMs = [math]::Round($clock.Elapsed.TotalMilliseconds, 1)
    } catch {
        $result.Healthy = $false
        if (-not $result.Status -or $result.Status -eq 'SERVING') { $result.Status = (($_.FullyQualifiedErrorId -split ',')[0]) -replace '^RpcPlugin\.', '' }
        $result.Error = ($_.Exception.Message -split '\r?\n' | Where-Object { $_.Trim() }) -join ' '
    } finally {
        if ($plugin) {
            $plugin | Stop-RpcPlugin -ErrorAction SilentlyContinue
            $result.ExitCode = $plugin.ExitCode
            $result.Stopped = -not (Get-Process -Id $plugin.ProcessId -ErrorAction SilentlyContinue)
        }
    }
    [pscustomobject] $result
}

$invoke = @{
    ScriptBlock   = $onHost
    ArgumentList  = $ModulePath, $PluginPath, $MagicCookieKey, $MagicCookieValue, $Method, $Request
    ErrorAction   = 'SilentlyContinue'
    ErrorVariable = 'unreachable'
}
if ($PSCmdlet.ParameterSetName -eq 'Session') {
    $invoke.Session = $Session
    $invoke.ThrottleLimit = $ThrottleLimit
} else {
    # Invoke-Command -HostName connects to every host at once (its SSH parameter set has no -ThrottleLimit).

    $invoke.HostName = $HostName
    if ($UserName) { $invoke.UserName = $UserName }
    if ($Port) { $invoke.Port = $Port }
    if ($KeyFilePath) { $invoke.KeyFilePath = $KeyFilePath }
    if ($SshOption) { $invoke.Options = $SshOption }
}

$unreachable = $null
$replies = @(Invoke-Command @invoke)

$rows = [System.Collections.Generic.List[object]]::new()
foreach ($reply in $replies) {
    $rows.Add([pscustomobject]@{
        Host = $reply.PSComputerName; Healthy = $reply.Healthy; Status = $reply.Status; Pid = $reply.Pid; CallMs = $reply.CallMs
        Reply = $reply.Reply; ExitCode = $reply.ExitCode; Stopped = $reply.Stopped; RemotePid = $reply.RemotePid
        ModuleVersion = $reply.ModuleVersion; Error = $reply.Error
    })
}
foreach ($failure in @($unreachable)) {
    # Hosts that could not be reached (or whose remote session broke) come back as errors, not replies.
    $target = if ($failure.TargetObject) { "$($failure.TargetObject)" } elseif ($failure.OriginInfo) { $failure.OriginInfo.PSComputerName } else { '?' }
    $rows.Add([pscustomobject]@{
        Host = $target; Healthy = $false; Status = 'Unreachable'; Pid = $null; CallMs = $null; Reply = $null; ExitCode = $null
        Stopped = $null; RemotePid = $null; ModuleVersion = $null; Error = $failure.Exception.Message
    })
}

$rows | Sort-Object Host | Format-Table Host, Healthy, Status, Pid, CallMs,
    @{ Name = 'Reply'; Expression = { $r = "$($_.Reply)"; if ($r.Length -gt 60) { $r.Substring(0, 57) + '...' } else { $r } } } -AutoSize |
    Out-Host
foreach ($row in $rows | Where-Object Error) { Write-Host "$($row.Host): $($row.Error)" -ForegroundColor Yellow }
$bad = @($rows | Where-Object { -not $_.Healthy })
Write-Host ('{0} of {1} hosts healthy' -f ($rows.Count - $bad.Count), $rows.Count) -ForegroundColor ($bad ? 'Red' : 'Green')
if ($PassThru) { $rows }
if ($bad -or -not $rows) { exit 1 }
