# The scripts in examples/ run end to end, each in a fresh pwsh as an ops engineer would run them, against this
# repository's own plugins: their output is checked, and so is that no plugin (or any other process they started)
# is left behind. examples/fleet.ps1 needs an sshd: Remoting.Tests.ps1 drives it; here only its unreachable-host path.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $examples = (Resolve-Path (Join-Path $PSScriptRoot '../../examples')).Path
    $peers = if ($env:RPCPLUGIN_PEERS) { $env:RPCPLUGIN_PEERS } else { Join-Path $PSScriptRoot '../../out/peers' }
    $peersReason = if ($env:RPCPLUGIN_PEERS_SKIPPED) { $env:RPCPLUGIN_PEERS_SKIPPED } else { "the Go peers are not built in $peers (tests/peers/build.sh)" }

    function Invoke-Example {
        # Runs a script text in a fresh pwsh in examples/ and returns its exit code, output and marker. Every
        # process started from it inherits RPCPLUGIN_EXAMPLE_MARK, so leftovers can be found by their environment.
        param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{}, [int] $TimeoutSeconds = 240)
        $marker = [guid]::NewGuid().ToString('n')
        $variables = @{ RPCPLUGIN_EXAMPLE_MARK = $marker }
        foreach ($key in $Environment.Keys) { $variables[$key] = $Environment[$key] }
        $run = Invoke-FreshPwsh $Script -Environment $variables -WorkingDirectory $examples -TimeoutSeconds $TimeoutSeconds
        $run | Add-Member -NotePropertyName Marker -NotePropertyValue $marker -PassThru
    }

    function Get-MarkedProcess {
        # The processes (plugins, watchdogs, anything) that still carry an example run's marker. Linux only.
        param([Parameter(Mandatory)] [string] $Marker)
        if (-not $IsLinux) { return }
        $needle = "RPCPLUGIN_EXAMPLE_MARK=$Marker"
        foreach ($dir in Get-ChildItem /proc -Directory -ErrorAction SilentlyContinue | Where-Object Name -Match '^\d+$') {
            $environ = try { [IO.File]::ReadAllText("$($dir.FullName)/environ") } catch { continue }
            if ($environ.Contains($needle) -and -not (Test-ProcessGone ([int] $dir.Name))) {
                $cmdline = try { [IO.File]::ReadAllText("$($dir.FullName)/cmdline") -replace "`0", ' ' } catch { '' }
                "$($dir.Name): $cmdline"
            }
        }
    }

    function Assert-NothingLeft {
        # Nothing started by the example run is still alive (given a moment for the watchdog to notice its pwsh exit).
        param([Parameter(Mandatory)] $Run, [int[]] $ProcessId = @())
        foreach ($id in $ProcessId) { Wait-ProcessGone $id -Seconds 15 | Should -BeTrue -Because "process $id was started by the example" }
        $null = Wait-Until { -not (Get-MarkedProcess $Run.Marker) } -Seconds 15
        Get-MarkedProcess $Run.Marker | Should -BeNullOrEmpty -Because 'the example must leave no process running'
    }

    function Start-ManualPlugin {
        # Starts the test plugin the way a debugger starts a provider: by hand, plaintext, kept running by us.
        $info = [System.Diagnostics.ProcessStartInfo]::new($TestPlugin)
        $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.RedirectStandardInput = $true
        $info.UseShellExecute = $false
        $info.Environment['PLUGIN_MAGIC_COOKIE'] = 'test_cookie_value'
        $info.Environment['PLUGIN_PROTOCOL_VERSIONS'] = '2'
        $null = $info.Environment.Remove('PLUGIN_CLIENT_CERT')
        $process = [System.Diagnostics.Process]::Start($info)
        $null = $process.StandardError.ReadToEndAsync()
        $line = $process.StandardOutput.ReadLine()
        $null = $process.StandardOutput.ReadToEndAsync()
        $parts = $line -split '\|'
        [pscustomobject]@{ Process = $process; Line = $line; Version = [int] $parts[1]; Network = $parts[2]; Address = $parts[3] }
    }

    function Get-TableRow {
        # The row of a Format-Table for a name: its cells split on whitespace.
        param([string] $Output, [string] $Name)
        $line = ($Output -split '\r?\n') | Where-Object { $_ -match "^\s*$([regex]::Escape($Name))\s" } | Select-Object -First 1
        if ($line) { , @($line.Trim() -split '\s+') }
    }
}

Describe 'examples help' {
    It '<_> has comment-based help: synopsis, description, examples and every parameter' -ForEach @(
        'health-check.ps1', 'stream-logs.ps1', 'PluginContract.Tests.ps1', 'terraform-reattach.ps1', 'fleet.ps1'
    ) {
        $help = Get-Help (Join-Path $examples $_) -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because 'an unparsable help block leaves only the syntax'
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        $parameters = (Get-Command (Join-Path $examples $_)).Parameters.Keys |
            Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters }
        foreach ($name in $parameters) {
            $documented = $help.Parameters.Parameter | Where-Object Name -EQ $name
            ($documented.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$name needs a .PARAMETER description"
        }
    }
}

Describe 'examples/health-check.ps1' {
    It 'checks the repository''s plugins in parallel with its defaults and prints the summary table' {
        $run = Invoke-Example "& '$examples/health-check.ps1'"

        $run.ExitCode | Should -Be 0 -Because ($run.Output + $run.Errors)
        $run.Output | Should -Match 'Name\s+Healthy\s+Status\s+ResponseMs\s+StartMs\s+Pid\s+ExitCode'
        $pids = foreach ($name in 'testplugin', 'testplugin-tcp', 'kv') {
            $row = Get-TableRow $run.Output $name
            $row | Should -Not -BeNullOrEmpty -Because "the table has a row for $name`n$($run.Output)"
            $row[1] | Should -Be 'True'
            $row[2] | Should -Be 'SERVING'
            [double] $row[3] | Should -BeGreaterThan 0
            $row[6] | Should -Be '0' -Because "$name exits by itself on the Shutdown RPC"
            [int] $row[5]
        }
        @($pids | Select-Object -Unique).Count | Should -Be 3
        $run.Output | Should -Match '3 of 3 plugins healthy'
        Assert-NothingLeft $run -ProcessId $pids
    }

    It 'reports plugins that cannot start with the reason, and exits 1' {
        $run = Invoke-Example @"
`$rows = & '$examples/health-check.ps1' -PassThru -Plugin @(
    @{ Name = 'bad-cookie'; Path = '$TestPlugin'; MagicCookieKey = 'PLUGIN_MAGIC_COOKIE'; MagicCookieValue = 'wrong' }
    'no-such-plugin'
    @{ Name = 'dies-at-start'; Path = '$TestPlugin'; Environment = @{ TESTPLUGIN_MODE = 'exit-early' } }
    [pscustomobject]@{ Name = 'from-csv'; Path = '$TestPlugin'; MagicCookieKey = 'PLUGIN_MAGIC_COOKIE'; MagicCookieValue = 'test_cookie_value'; ProtocolVersion = '1,2' }
)
`$code = `$LASTEXITCODE
'JSON:' + (`$rows | ConvertTo-Json -Compress)
exit `$code
"@
        $run.ExitCode | Should -Be 1 -Because ($run.Output + $run.Errors)
        $rows = ($run.Output -split '\r?\n' | Where-Object { $_.StartsWith('JSON:') }).Substring(5) | ConvertFrom-Json
        $rows.Name | Should -Be 'bad-cookie', 'no-such-plugin', 'dies-at-start', 'from-csv'
        $rows[0].Healthy | Should -BeFalse
        $rows[0].Status | Should -Be 'MagicCookieRejected'
        $rows[0].Detail | Should -BeLike '*This binary is a plugin*'
        $rows[1].Status | Should -Be 'PluginNotFound'
        $rows[2].Status | Should -Be 'PluginExited'
        $rows[3].Healthy | Should -BeTrue
        $rows[3].Status | Should -Be 'SERVING'
        $rows[3].ExitCode | Should -Be 0
        foreach ($row in $rows[0..2]) { $row.ExitCode | Should -BeNullOrEmpty -Because "$($row.Name) never started" }
        $run.Output | Should -Match '1 of 4 plugins healthy'
        $run.Output | Should -Match 'bad-cookie: .*magic cookie'
        Assert-NothingLeft $run -ProcessId $rows[3].Pid
    }
}

Describe 'examples/stream-logs.ps1' {
    It 'streams the plugin''s log from a thread job while it makes calls' {
        $run = Invoke-Example "& '$examples/stream-logs.ps1' -Interval 0.5"

        $run.ExitCode | Should -Be 0 -Because ($run.Output + $run.Errors)
        $lines = $run.Output -split '\r?\n'
        foreach ($n in 1..5) {
            $level = if ($n -eq 3) { 'Warn' } else { 'Info' }
            @($lines -match "^\[log [\d:.]+\] $level\s+call $n from stream-logs call=$n$") |
                Should -HaveCount 1 -Because "call $n's log line is shown once, at its level`n$($run.Output)"
        }
        # Streamed while calling, not dumped at the end: call 1's line is shown before call 5 is made.
        $first = [array]::FindIndex([string[]] $lines, [Predicate[string]] { param($l) $l -match 'call 1 from stream-logs' })
        $fifth = [array]::IndexOf([string[]] $lines, '-> call 5: testplugin.Echo/Log')
        $first | Should -BeLessThan $fifth -Because $run.Output
        $run.Output | Should -Match 'Stopped stream-logs: exit code 0\.'
        $run.Output | Should -Match 'Streamed \d+ log entries while making 5 calls \(.*1 Warn.*\)'
        $pluginPid = [int] [regex]::Match($run.Output, 'Started stream-logs \(pid (\d+)\)').Groups[1].Value
        $pluginPid | Should -BeGreaterThan 0
        Assert-NothingLeft $run -ProcessId $pluginPid
    }
}

Describe 'examples/PluginContract.Tests.ps1' {
    BeforeAll {
        $pester = (Get-Module Pester).Path
        function Invoke-Contract([string] $PluginPath) {
            Invoke-Example @"
Import-Module '$pester'
`$container = New-PesterContainer -Path '$examples/PluginContract.Tests.ps1' -Data @{ PluginPath = '$PluginPath'; ModulePath = '$env:RPCPLUGIN_MODULE' }
`$result = Invoke-Pester -Container `$container -PassThru -Output Detailed
'RESULT: passed={0} failed={1} total={2}' -f `$result.PassedCount, `$result.FailedCount, `$result.TotalCount
exit `$result.FailedCount
"@
        }
    }

    It 'passes against the example KV plugin, run with Pester' {
        $run = Invoke-Contract $env:RPCPLUGIN_KVPLUGIN

        $run.ExitCode | Should -Be 0 -Because ($run.Output + $run.Errors)
        $result = [regex]::Match($run.Output, 'RESULT: passed=(\d+) failed=(\d+) total=(\d+)')
        $result.Success | Should -BeTrue -Because $run.Output
        [int] $result.Groups[2].Value | Should -Be 0
        [int] $result.Groups[1].Value | Should -Be ([int] $result.Groups[3].Value)
        [int] $result.Groups[1].Value | Should -BeGreaterOrEqual 10
        $run.Output | Should -Match 'stops cleanly on the Shutdown RPC'
        Assert-NothingLeft $run
    }

    It 'fails against a plugin that does not keep the contract (the test plugin: another cookie and service)' {
        $run = Invoke-Contract $TestPlugin

        $run.ExitCode | Should -Not -Be 0
        [regex]::Match($run.Output, 'RESULT: passed=\d+ failed=(\d+)').Groups[1].Value | Should -Not -Be '0'
        Assert-NothingLeft $run
    }
}

Describe 'examples/terraform-reattach.ps1' {
    BeforeAll {
        # The test provider, started by hand in debug mode as a developer starts one under a debugger.
        . (Join-Path $PSScriptRoot 'TerraformHelpers.ps1')
    }

    It 'drives a provider in debug mode from $env:TF_REATTACH_PROVIDERS: schema, configuration, data source, plan, apply and destroy' {
        $debug = Start-DebugProvider -Version 6
        try {
            $run = Invoke-Example "& '$examples/terraform-reattach.ps1' -Apply" -Environment @{ TF_REATTACH_PROVIDERS = $debug.Value }

            $run.ExitCode | Should -Be 0 -Because ($run.Output + $run.Errors)
            $pidText = $debug.Process.Id
            $run.Output | Should -Match "== registry\.terraform\.io/rpcplugin/rpcplugin \(pid $pidText, unix "
            $run.Output | Should -Match "attached: session \d+ 'registry\.terraform\.io/rpcplugin/rpcplugin', pid $pidText, protocol 6, Terraform: True, owned: False"
            $run.Output | Should -Match 'health: SERVING'
            $run.Output | Should -Match 'schema: 1 resource type\(s\) \(rpcplugin_thing\), 1 data source\(s\) \(rpcplugin_echo\)'
            (Get-TableRow $run.Output 'tags') | Should -Be 'tags', 'map(string)', 'optional'
            (Get-TableRow $run.Output 'password') | Should -Be 'password', 'string', 'optional', 'sensitive'
            $run.Output | Should -Match 'configured: endpoint=https://api\.example\.test'
            $run.Output | Should -Match '(?m)^\s+output = \{"count":3,"greeting":"hello"\}$'
            $run.Output | Should -Match '(?m)^\s+endpoint = https://api\.example\.test$'
            $plan = $run.Output.Substring($run.Output.IndexOf('plan rpcplugin_thing (create):'))
            $plan | Should -Match '(?m)^\s+id = \(known after apply\)$'
            $plan | Should -Match '(?m)^\s+tags = \{"env":"demo"\}$'
            $applied = $run.Output.Substring($run.Output.IndexOf('applied rpcplugin_thing:'))
            $applied | Should -Match '(?m)^\s+id = thing-example$'
            $applied | Should -Match '(?m)^\s+created = 2024-01-02T03:04:05Z$'
            $run.Output | Should -Match 'read back: the same object'
            $run.Output | Should -Match 'destroyed rpcplugin_thing: yes'
            $run.Output | Should -Match 'Detached from 1 provider\(s\); 1 still running\.'
            $debug.Process.HasExited | Should -BeFalse -Because 'detaching does not stop a provider the script did not start'
            Assert-NothingLeft $run
        } finally {
            Stop-DebugProvider $debug
        }
    }

    It 'on protocol 5, picks the provider by -Provider, plans only, reports the provider''s error diagnostics and exits 1' {
        $debug = Start-DebugProvider -Version 5
        try {
            $tf = @{
                'registry.terraform.io/rpcplugin/rpcplugin' = ($debug.Value | ConvertFrom-Json -AsHashtable).Values | Select-Object -First 1
                'registry.terraform.io/acme/other' = [ordered]@{ Protocol = 'grpc'; ProtocolVersion = 5; Pid = 1; Test = $true; Addr = [ordered]@{ Network = 'unix'; String = '/nonexistent' } }
            } | ConvertTo-Json -Compress -Depth 5

            $run = Invoke-Example @"
`$rows = & '$examples/terraform-reattach.ps1' -ReattachProviders '$tf' -Provider rpcplugin/rpcplugin -ProviderConfig @{ retries = -1 } -DataSource '' -ResourceConfig @{ name = 'warn' } -PassThru
`$code = `$LASTEXITCODE
'JSON:' + (`$rows | ConvertTo-Json -Compress -Depth 10)
exit `$code
"@
            $run.ExitCode | Should -Be 1 -Because ($run.Output + $run.Errors)
            $run.Output | Should -Not -Match 'acme/other'
            $run.Output | Should -Match 'protocol 5, Terraform: True'
            $run.Output | Should -Match ([regex]::Escape('error (RpcPlugin.Terraform.Diagnostic): retries cannot be negative: Give 0 or more. (at retries)'))
            $run.Output | Should -Match ([regex]::Escape("warning: Name warns: The name 'warn' always warns. (at name)"))
            $run.Output | Should -Not -Match 'data source rpcplugin_echo:'
            $run.Output | Should -Not -Match 'applied rpcplugin_thing:'
            $rows = @(($run.Output -split '\r?\n' | Where-Object { $_.StartsWith('JSON:') }).Substring(5) | ConvertFrom-Json)
            $rows.Count | Should -Be 1
            $rows[0].Protocol | Should -Be 5
            $rows[0].Errors | Should -Be 1
            $rows[0].Planned.name | Should -Be 'warn'
            $run.Output | Should -Match '(?m)^\s+serial = \(known after apply\)$'
            $rows[0].StillRunning | Should -BeTrue
            Assert-NothingLeft $run
        } finally {
            Stop-DebugProvider $debug
        }
    }

    It 'says what to do when there is no TF_REATTACH_PROVIDERS value' {
        $run = Invoke-Example "& '$examples/terraform-reattach.ps1'" -Environment @{ TF_REATTACH_PROVIDERS = '' }
        $run.ExitCode | Should -Not -Be 0
        $run.Output + $run.Errors | Should -Match 'set \$env:TF_REATTACH_PROVIDERS'
    }
}

Describe 'examples/fleet.ps1 without an sshd' {
    It 'reports a host it cannot reach as Unreachable and exits 1 (the working path is in Remoting.Tests.ps1)' {
        if (-not (Get-Command ssh -CommandType Application -ErrorAction SilentlyContinue)) {
            Set-ItResult -Skipped -Because 'the ssh client is not installed (Debian: openssh-client)'
            return
        }
        # A loopback port nobody listens on: the connection is refused at once.
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()

        $run = Invoke-Example @"
`$rows = & '$examples/fleet.ps1' -HostName 127.0.0.1 -Port $port -SshOption @{ BatchMode = 'yes'; ConnectTimeout = '5'; StrictHostKeyChecking = 'yes'; UserKnownHostsFile = '/dev/null' } -PassThru
`$code = `$LASTEXITCODE
'JSON:' + (`$rows | ConvertTo-Json -Compress)
exit `$code
"@
        $run.ExitCode | Should -Be 1 -Because ($run.Output + $run.Errors)
        $rows = @(($run.Output -split '\r?\n' | Where-Object { $_.StartsWith('JSON:') }).Substring(5) | ConvertFrom-Json)
        $rows.Count | Should -Be 1
        $rows[0].Host | Should -Be '127.0.0.1'
        $rows[0].Healthy | Should -BeFalse
        $rows[0].Status | Should -Be 'Unreachable'
        $run.Output | Should -Match '0 of 1 hosts healthy'
        Assert-NothingLeft $run
    }
}
