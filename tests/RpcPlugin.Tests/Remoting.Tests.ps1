# PowerShell remoting over SSH: the module works on the remote side of Invoke-Command -HostName, its sessions live
# in the remote runspace and die with it. The test starts a throwaway sshd (Debian: openssh-server) on a loopback
# port: its own host key, one client key allowed for the current user only, 127.0.0.1 only, and pwsh as the
# "powershell" subsystem. The "remote" hosts are this machine. Skipped, with the reason, where sshd cannot start.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $examples = (Resolve-Path (Join-Path $PSScriptRoot '../../examples')).Path
    $module = $env:RPCPLUGIN_MODULE
    $moduleVersion = (Import-PowerShellDataFile $module).ModuleVersion

    function Find-Program([string] $Name, [string[]] $Candidates) {
        $found = Get-Command $Name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($found) { return $found.Source }
        $Candidates | Where-Object { Test-Path $_ } | Select-Object -First 1
    }

    function Get-DescendantProcess([int] $Id) {
        # The process ids below $Id (Linux /proc; elsewhere none).
        if (-not $IsLinux) { return }
        $parents = @{}
        foreach ($stat in Get-ChildItem /proc/[0-9]*/stat -ErrorAction SilentlyContinue) {
            $text = try { [IO.File]::ReadAllText($stat.FullName) } catch { continue }
            $fields = $text.Substring($text.LastIndexOf(')') + 2) -split ' '
            $parents[[int] $stat.Directory.Name] = [int] $fields[1]
        }
        $queue = [System.Collections.Generic.Queue[int]]::new(); $queue.Enqueue($Id)
        while ($queue.Count) {
            $parent = $queue.Dequeue()
            foreach ($child in @($parents.Keys | Where-Object { $parents[$_] -eq $parent })) { $child; $queue.Enqueue($child) }
        }
    }

    function Get-CommandLine([int] $Id) {
        # A process's arguments (Linux /proc), or nothing when it is gone.
        try { [IO.File]::ReadAllText("/proc/$Id/cmdline") -split "`0" | Where-Object { $_ } } catch { @() }
    }

    function Get-SshClientProcess([int] $Port) {
        # The ssh client processes whose command line names $Port (the throwaway sshd's, unique to this run).
        foreach ($dir in Get-ChildItem /proc -Directory -ErrorAction SilentlyContinue | Where-Object Name -Match '^\d+$') {
            $cmdline = @(Get-CommandLine ([int] $dir.Name))
            if ($cmdline.Count -and (Split-Path $cmdline[0] -Leaf) -eq 'ssh' -and ($cmdline -contains "$Port" -or $cmdline -contains "-p$Port")) { [int] $dir.Name }
        }
    }

    function Start-TestSshd {
        # Returns the running sshd and what a client needs, or throws with the reason it cannot run here.
        if ($IsWindows) { throw 'the throwaway sshd needs a Unix OpenSSH server' }
        $sshd = Find-Program sshd '/usr/sbin/sshd', '/usr/local/sbin/sshd'
        if (-not $sshd) { throw 'sshd is not installed (Debian: apt-get install -y openssh-server)' }
        $keygen = Find-Program ssh-keygen '/usr/bin/ssh-keygen'
        $ssh = Find-Program ssh '/usr/bin/ssh'
        if (-not $keygen -or -not $ssh) { throw 'the OpenSSH client (ssh, ssh-keygen) is not installed (Debian: openssh-client)' }

        $dir = Join-Path ([IO.Path]::GetTempPath()) ('rpcplugin-sshd-' + [guid]::NewGuid().ToString('n').Substring(0, 12))
        $null = New-Item -ItemType Directory $dir
        $user = (& id -un).Trim()
        foreach ($key in 'host_key', 'client_key') {
            & $keygen -q -t ed25519 -N '' -C "rpcplugin-test-$key" -f (Join-Path $dir $key)
            if ($LASTEXITCODE -ne 0) { throw "ssh-keygen failed to make $key" }
        }
        # Only the throwaway client key may log in; `restrict` also turns off forwarding, pty and X11.
        Set-Content (Join-Path $dir 'authorized_keys') ('restrict ' + (Get-Content -Raw (Join-Path $dir 'client_key.pub')).Trim())

        # The subsystem command: pwsh in server mode. Here pwsh is a dotnet tool (`dotnet pwsh.dll`), and sshd
        # starts subsystems with a bare environment, so a wrapper gives it the dotnet root and our PATH.
        $pwsh = Get-PwshCommand
        $quote = { param($s) "'" + ($s -replace "'", "'\''") + "'" }
        $wrapper = Join-Path $dir 'pwsh-sshs'
        $lines = @('#!/bin/sh')
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -eq 'dotnet') { $lines += 'export DOTNET_ROOT=' + (& $quote (Split-Path $pwsh[0])) }
        $lines += 'export PATH=' + (& $quote $env:PATH)
        $lines += 'exec ' + (($pwsh | ForEach-Object { & $quote $_ }) -join ' ') + ' -sshs -NoLogo -NoProfile'
        Set-Content $wrapper ($lines -join "`n")
        & chmod 755 $wrapper

        for ($attempt = 1; ; $attempt++) {
            $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $config = Join-Path $dir 'sshd_config'
            Set-Content $config @"
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AllowUsers $user
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
HostbasedAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
MaxStartups 50
Subsystem powershell $wrapper
"@
            # sshd needs its privilege separation directory (Debian's service makes /run/sshd at start).
            $check = & $sshd -t -f $config 2>&1 | Out-String
            if ($check -match 'Missing privilege separation directory: (\S+)') {
                $privsep = $Matches[1]
                try { $null = New-Item -ItemType Directory -Force $privsep -ErrorAction Stop; & chmod 755 $privsep }
                catch { throw "sshd needs its privilege separation directory $privsep and it cannot be made here: $($_.Exception.Message)" }
                $check = & $sshd -t -f $config 2>&1 | Out-String
            }
            if ($LASTEXITCODE -ne 0) { throw "sshd refuses the test configuration: $($check.Trim())" }

            $log = Join-Path $dir 'sshd.log'
            $info = [System.Diagnostics.ProcessStartInfo]::new($sshd)
            '-D', '-E', $log, '-f', $config | ForEach-Object { $info.ArgumentList.Add($_) }
            $info.UseShellExecute = $false; $info.RedirectStandardInput = $true
            $process = [System.Diagnostics.Process]::Start($info)
            $listening = Wait-Until -Seconds 15 {
                if ($process.HasExited) { return $true }
                $client = [System.Net.Sockets.TcpClient]::new()
                try { $client.Connect([ipaddress]::Loopback, $port); $true } catch { $false } finally { $client.Dispose() }
            }
            if ($listening -and -not $process.HasExited) { break }
            $why = if (Test-Path $log) { (Get-Content $log -Tail 5) -join ' ' } else { '' }
            if (-not $process.HasExited) { $process.Kill($true) }
            # Someone took the port between our check and sshd's bind: try another.
            if ($attempt -lt 3 -and $why -match 'Address already in use') { continue }
            throw "sshd did not start (exit code $(if ($process.HasExited) { $process.ExitCode } else { 'none: not listening' })): $why"
        }

        $hostKey = (Get-Content -Raw (Join-Path $dir 'host_key.pub')).Trim() -replace ' rpcplugin-test-host_key$', ''
        $knownHosts = Join-Path $dir 'known_hosts'
        Set-Content $knownHosts "[127.0.0.1]:$port $hostKey", "[localhost]:$port $hostKey"
        [pscustomobject]@{
            Process = $process; Directory = $dir; Port = $port; User = $user; Log = $log
            KeyFilePath = Join-Path $dir 'client_key'
            # The host is checked against its throwaway key only; no prompt, no other key, no ~/.ssh/known_hosts.
            Options = @{
                UserKnownHostsFile = $knownHosts; GlobalKnownHostsFile = '/dev/null'; StrictHostKeyChecking = 'yes'
                BatchMode = 'yes'; IdentitiesOnly = 'yes'; ConnectTimeout = '15'
            }
        }
    }

    $skipReason = $null
    $server = $null
    try { $server = Start-TestSshd } catch { $skipReason = $_.Exception.Message }
    if ($server) {
        $ssh = @{ HostName = '127.0.0.1'; Port = $server.Port; UserName = $server.User; KeyFilePath = $server.KeyFilePath; Options = $server.Options }
    }

    function Get-SshdLog { if ($server -and (Test-Path $server.Log)) { "sshd log:`n" + ((Get-Content $server.Log -Tail 20) -join "`n") } }
}

AfterAll {
    Get-PSSession | Remove-PSSession
    if ($server) {
        # Stop the listener and anything still below it (per-connection sshd processes, remote pwsh, plugins).
        if (-not $server.Process.HasExited) { $server.Process.Kill($true); $null = $server.Process.WaitForExit(10000) }
        Remove-Item $server.Directory -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Describe 'PowerShell remoting over SSH' {
    It 'runs examples/fleet.ps1 on two "hosts" and summarises them; nothing is left running on them' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $options = ($server.Options.GetEnumerator() | ForEach-Object { "$($_.Key) = '$($_.Value)'" }) -join '; '
        $run = Invoke-FreshPwsh @"
`$rows = & '$examples/fleet.ps1' -HostName 127.0.0.1, localhost -Port $($server.Port) -UserName '$($server.User)' ``
    -KeyFilePath '$($server.KeyFilePath)' -SshOption @{ $options } ``
    -ModulePath '$env:RPCPLUGIN_MODULE' -PluginPath '$TestPlugin' -PassThru
`$code = `$LASTEXITCODE
'JSON:' + (`$rows | ConvertTo-Json -Compress)
exit `$code
"@
        $because = "$($run.Output)$($run.Errors)$(Get-SshdLog)"
        $run.ExitCode | Should -Be 0 -Because $because
        $rows = @(($run.Output -split '\r?\n' | Where-Object { $_.StartsWith('JSON:') }).Substring(5) | ConvertFrom-Json)
        $rows.Host | Sort-Object | Should -Be '127.0.0.1', 'localhost'
        foreach ($row in $rows) {
            $row.Healthy | Should -BeTrue -Because $because
            $row.Status | Should -Be 'SERVING'
            $row.ModuleVersion | Should -Be $moduleVersion
            ($row.Reply | ConvertFrom-Json).message | Should -Be 'hello from fleet.ps1'
            ($row.Reply | ConvertFrom-Json).pid | Should -Be $row.Pid
            $row.ExitCode | Should -Be 0
            $row.Stopped | Should -BeTrue
        }
        $rows[0].RemotePid | Should -Not -Be $rows[1].RemotePid -Because 'each host has its own remote pwsh'
        $run.Output | Should -Match 'Host\s+Healthy\s+Status\s+Pid\s+CallMs\s+Reply'
        $run.Output | Should -Match '2 of 2 hosts healthy'
        foreach ($row in $rows) {
            Wait-ProcessGone $row.Pid | Should -BeTrue -Because 'the plugin was stopped on the host'
            Wait-ProcessGone $row.RemotePid -Seconds 15 | Should -BeTrue -Because 'the remote pwsh ends with its session'
        }
    }

    It 'keeps a plugin in a persistent remote session across calls and stops it when the session is removed' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $session = New-PSSession @ssh -ErrorAction Stop
        try {
            $started = Invoke-Command $session {
                Import-Module $using:module
                $global:plugin = Start-RpcPlugin $using:TestPlugin -Name remote-kept
                [pscustomobject]@{ Pid = $plugin.ProcessId; RemotePid = $PID }
            }
            $started.Pid | Should -BeGreaterThan 0

            # A later call in the same remote runspace finds the session there.
            (Invoke-Command $session { Invoke-RpcPluginMethod $plugin testplugin.Echo/Unary @{ message = 'second call' } }).message |
                Should -Be 'second call'
            Invoke-Command $session { (Get-RpcPlugin).Name } | Should -Be 'remote-kept'
            Test-ProcessGone $started.Pid | Should -BeFalse
        } finally {
            Remove-PSSession $session
        }
        Wait-ProcessGone $started.Pid -Seconds 15 | Should -BeTrue -Because "the remote runspace closed$(Get-SshdLog)"
        Wait-ProcessGone $started.RemotePid -Seconds 15 | Should -BeTrue
    }

    It 'stops the remote plugin when the connection drops (the ssh client is killed)' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $session = New-PSSession @ssh -ErrorAction Stop
        try {
            $started = Invoke-Command $session {
                Import-Module $using:module
                $global:plugin = Start-RpcPlugin $using:TestPlugin -Name remote-dropped
                [pscustomobject]@{ Pid = $plugin.ProcessId; RemotePid = $PID }
            }
            Test-ProcessGone $started.Pid | Should -BeFalse

            # The ssh client of this session: the only ssh process that talks to this run's sshd port. Kill it as a
            # network failure would cut it.
            $clients = @(Get-SshClientProcess $server.Port)
            $clients.Count | Should -BeGreaterThan 0 -Because "the session runs over an ssh client process; processes below this pwsh: $(Get-DescendantProcess $PID | ForEach-Object { "$_ $(Get-CommandLine $_)" })"
            foreach ($id in $clients) { Stop-Process -Id $id -Force }
        } finally {
            Remove-PSSession $session -ErrorAction SilentlyContinue
        }
        Wait-ProcessGone $started.Pid -Seconds 20 | Should -BeTrue -Because "the remote pwsh lost its session$(Get-SshdLog)"
        Wait-ProcessGone $started.RemotePid -Seconds 20 | Should -BeTrue
    }
}
