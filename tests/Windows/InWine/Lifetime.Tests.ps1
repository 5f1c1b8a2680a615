# Plugin lifetime on Windows: each plugin runs in a job object that kills its whole tree when it is ended or when
# the PowerShell process that owns it goes away (src/RpcPlugin.Core/Processes/Windows).
BeforeDiscovery {
    $NoGoPeers = -not (Test-Path (Join-Path $env:RPCPLUGIN_WIN_PEERS 'go-echo-plugin.exe'))
    $NoTestPlugin = -not $env:RPCPLUGIN_WIN_TESTPLUGIN
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../WindowsTestHelpers.ps1')

    function Get-GrandchildPid {
        # The process the test plugin started in spawn-child mode.
        param([Parameter(Mandatory)] $Session)
        [int](Invoke-RpcPluginMethod $Session testplugin.Echo/GetInfo).grandchild_pid
    }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
}

Describe 'Stop-RpcPlugin on Windows' {
    It 'stops a go-plugin plugin gracefully (Shutdown, exit code 0)' -Skip:$NoGoPeers {
        $session = Start-GoEcho

        $stopped = $session | Stop-RpcPlugin -PassThru

        $stopped.State | Should -Be 'Exited'
        $stopped.ExitCode | Should -Be 0
        Wait-ProcessGone $session.ProcessId | Should -BeTrue
    }

    It 'kills a plugin that ignores Shutdown through its job once -Timeout has passed' -Skip:$NoTestPlugin {
        $session = Start-WinTestPlugin -Mode 'ignore-shutdown'
        $watch = [Diagnostics.Stopwatch]::StartNew()

        $stopped = $session | Stop-RpcPlugin -Timeout 1 -PassThru

        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
        $stopped.ExitCode | Should -Be 1 -Because 'TerminateJobObject ends the tree with exit code 1'
        Wait-ProcessGone $session.ProcessId | Should -BeTrue
    }

    It 'kills a child the plugin started along with it' -Skip:$NoTestPlugin {
        $session = Start-WinTestPlugin -Mode 'spawn-child'
        $grandchild = Get-GrandchildPid $session
        $grandchild | Should -BeGreaterThan 0
        Test-ProcessGone $grandchild | Should -BeFalse

        $session | Stop-RpcPlugin

        Wait-ProcessGone $session.ProcessId | Should -BeTrue
        Wait-ProcessGone $grandchild | Should -BeTrue
    }

    It 'Stop -Force kills at once, child included' -Skip:$NoTestPlugin {
        $session = Start-WinTestPlugin -Mode 'spawn-child,ignore-shutdown'
        $grandchild = Get-GrandchildPid $session

        $stopped = $session | Stop-RpcPlugin -Force -PassThru

        $stopped.State | Should -Be 'Exited'
        Wait-ProcessGone $session.ProcessId | Should -BeTrue
        Wait-ProcessGone $grandchild | Should -BeTrue
    }
}

Describe 'plugins that exit by themselves on Windows' -Skip:$NoTestPlugin {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin
    }

    It 'reports a plugin that exits before its handshake, with its exit code and stderr' {
        $err = { Start-WinTestPlugin -Mode 'exit-early' -Parameters @{ MaxRetries = 0 } } | Should -Throw -ErrorId 'RpcPlugin.PluginExited,*' -PassThru
        $err.Exception.Message | Should -BeLike '*exited with code 3*'
        $err.Exception.Message | Should -BeLike '*exit-early mode: the plugin failed to initialise*'
    }

    It 'marks a session Exited, with the exit code, when its plugin crashes' {
        $session = Start-WinTestPlugin -Mode 'crash-after:1'
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'one' }

        Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'two' } -ErrorAction SilentlyContinue

        Wait-Until { $session.State -eq 'Exited' } | Should -BeTrue
        $session.ExitCode | Should -Be 2
        Wait-ProcessGone $session.ProcessId | Should -BeTrue
    }
}

Describe 'the PowerShell process that owns plugins on Windows' -Skip:$NoTestPlugin {
    BeforeAll {
        function Start-HostWithPlugin {
            # A second host that starts the test plugin (with a grandchild) and, as a control, a process of its own
            # without a job (the test plugin's hour-long --grandchild mode); it writes their pids to a file, then
            # runs $Then.
            param([Parameter(Mandatory)] [string] $Then, [string] $Before = '')
            $dir = New-LaneDirectory 'owner'
            $output = Join-Path $dir 'out.txt'
            $pidFile = Join-Path $dir 'pids.txt'
            $script = @"
$Before
Import-Module '$env:RPCPLUGIN_WIN_MODULE'
`$s = Start-RpcPlugin '$TestPlugin' -NoAutoMtls -ProtocolVersion 2 -Environment @{ TESTPLUGIN_NETWORK = 'tcp'; TESTPLUGIN_MODE = 'spawn-child' }
`$grandchild = (Invoke-RpcPluginMethod `$s testplugin.Echo/GetInfo).grandchild_pid
`$control = Start-Process '$TestPlugin' -ArgumentList '--grandchild' -PassThru -NoNewWindow
Set-Content '$pidFile' "`$PID `$(`$s.ProcessId) `$grandchild `$(`$control.Id)"
$Then
"@
            $process = Start-ChildHost -Script $script -OutputFile $output
            Wait-Until { (Test-Path $pidFile) -and (Get-Content $pidFile) } -Seconds 90 | Should -BeTrue -Because (Get-Content $output -Raw -ErrorAction SilentlyContinue)
            $hostPid, $pluginPid, $grandchildPid, $controlPid = (Get-Content $pidFile) -split ' ' | ForEach-Object { [int]$_ }
            $hostPid | Should -Be $process.Id
            [pscustomobject]@{ Process = $process; Plugin = $pluginPid; Grandchild = $grandchildPid; Control = $controlPid }
        }
    }

    It 'killed outright (Stop-Process -Force) takes its plugins and their children with it' {
        $owner = Start-HostWithPlugin -Then 'Start-Sleep 600'
        try {
            Test-ProcessGone $owner.Plugin | Should -BeFalse

            Stop-Process -Id $owner.Process.Id -Force

            Wait-ProcessGone $owner.Plugin -Seconds 15 | Should -BeTrue
            Wait-ProcessGone $owner.Grandchild -Seconds 15 | Should -BeTrue
            # The control: a process started without a job outlives the host, so the job is what ended the plugin.
            Test-ProcessGone $owner.Control | Should -BeFalse
        } finally {
            Stop-Process -Id $owner.Process.Id, $owner.Plugin, $owner.Grandchild, $owner.Control -Force -ErrorAction SilentlyContinue
        }
    }

    It 'killed outright while it runs inside a job of its own (a CI agent''s, a service''s), still takes its plugins with it' {
        # The plugin's job nests in PowerShell's; that outer job has no kill-on-close, so only ours ends the tree.
        $before = @'
Add-Type -Namespace LaneProbe -Name Job -MemberDefinition '
[DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)] public static extern IntPtr CreateJobObjectW(IntPtr attributes, string name);
[DllImport("kernel32.dll", SetLastError = true)] public static extern bool AssignProcessToJobObject(IntPtr job, IntPtr process);'
$outerJob = [LaneProbe.Job]::CreateJobObjectW([IntPtr]::Zero, $null)
if (-not [LaneProbe.Job]::AssignProcessToJobObject($outerJob, [Diagnostics.Process]::GetCurrentProcess().Handle)) { throw 'cannot join the outer job' }
'@
        $owner = Start-HostWithPlugin -Before $before -Then 'Start-Sleep 600'
        try {
            Stop-Process -Id $owner.Process.Id -Force

            Wait-ProcessGone $owner.Plugin -Seconds 15 | Should -BeTrue
            Wait-ProcessGone $owner.Grandchild -Seconds 15 | Should -BeTrue
        } finally {
            Stop-Process -Id $owner.Process.Id, $owner.Plugin, $owner.Grandchild, $owner.Control -Force -ErrorAction SilentlyContinue
        }
    }

    It 'exiting normally stops its plugins' {
        $owner = Start-HostWithPlugin -Then 'Stop-Process -Id $control.Id -Force; exit 0'
        try {
            $owner.Process.WaitForExit(60000) | Should -BeTrue

            Wait-ProcessGone $owner.Plugin -Seconds 15 | Should -BeTrue
            Wait-ProcessGone $owner.Grandchild -Seconds 15 | Should -BeTrue
        } finally {
            Stop-Process -Id $owner.Process.Id, $owner.Plugin, $owner.Grandchild, $owner.Control -Force -ErrorAction SilentlyContinue
        }
    }

    It 'closing a runspace stops the plugins started in it' {
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $ps = [powershell]::Create($runspace)
        $null = $ps.AddScript("Import-Module '$env:RPCPLUGIN_WIN_MODULE'; (Start-RpcPlugin '$TestPlugin' -NoAutoMtls -ProtocolVersion 2 -Environment @{ TESTPLUGIN_NETWORK = 'tcp' }).ProcessId")
        $id = [int]($ps.Invoke() | Select-Object -Last 1)
        $ps.Dispose()
        Test-ProcessGone $id | Should -BeFalse

        $runspace.Dispose()

        Wait-ProcessGone $id | Should -BeTrue
    }
}
