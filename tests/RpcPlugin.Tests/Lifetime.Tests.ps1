BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Plugin lifetime' {
    It 'closing a runspace stops its 3 plugins' {
        $runspace = New-TestRunspace
        $pids = Invoke-InRunspace $runspace '1..3 | ForEach-Object { (Start-RpcPlugin $TestPlugin -Name "r$_" -ProtocolVersion 2).ProcessId }'
        $pids.Count | Should -Be 3
        foreach ($id in $pids) { Test-ProcessGone $id | Should -BeFalse }

        $runspace.Close()
        $runspace.Dispose()

        foreach ($id in $pids) { Wait-ProcessGone $id | Should -BeTrue }
    }

    It 'closing one runspace leaves the plugins of another running' {
        $first = New-TestRunspace
        $second = New-TestRunspace
        try {
            $kept = Invoke-InRunspace $second '(Start-RpcPlugin $TestPlugin -ProtocolVersion 2).ProcessId'
            $doomed = Invoke-InRunspace $first '(Start-RpcPlugin $TestPlugin -ProtocolVersion 2).ProcessId'

            $first.Close()

            Wait-ProcessGone $doomed | Should -BeTrue
            Test-ProcessGone $kept | Should -BeFalse
            (Invoke-InRunspace $second '(Get-RpcPlugin).State') | Should -Be 'Ready'
        } finally {
            $first.Dispose()
            Invoke-InRunspace $second 'Get-RpcPlugin | Stop-RpcPlugin'
            $second.Dispose()
        }
    }

    It 'Remove-Module stops the plugins of the runspace that removes it' {
        $runspace = New-TestRunspace
        try {
            $id = Invoke-InRunspace $runspace '(Start-RpcPlugin $TestPlugin -ProtocolVersion 2).ProcessId'

            Invoke-InRunspace $runspace 'Remove-Module RpcPlugin'

            Wait-ProcessGone $id | Should -BeTrue
        } finally { $runspace.Dispose() }
    }

    It 'Ctrl+C during a start leaves nothing running' {
        $runspace = New-TestRunspace
        try {
            $marker = New-ProcessMarker
            $ps = [powershell]::Create($runspace)
            $null = $ps.AddScript("Start-RpcPlugin `$TestPlugin $marker -StartTimeout 60 -Environment @{ TESTPLUGIN_MODE = 'slow-start:60000' }")
            $async = $ps.BeginInvoke()
            Wait-Until { (Get-MarkedProcess $marker).Count -gt 0 } | Should -BeTrue
            $started = (Get-MarkedProcess $marker).Id

            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()

            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
            foreach ($id in $started) {
                $gone = Wait-ProcessGone $id -Seconds 20
                $state = if (Test-Path "/proc/$id/stat") { Get-Content "/proc/$id/stat" -Raw } else { 'gone' }
                $gone | Should -BeTrue -Because "pid $id should be gone (state: $state)"
            }
            (Invoke-InRunspace $runspace 'Get-RpcPlugin') | Should -BeNullOrEmpty
        } finally { $runspace.Dispose() }
    }

    It 'a pwsh that exits normally stops its plugins' {
        $output = (Invoke-FreshPwsh @"
Import-Module '$env:RPCPLUGIN_MODULE'
(Start-RpcPlugin '$TestPlugin' -ProtocolVersion 2).ProcessId
"@).Lines
        $id = [int]($output | Select-Object -Last 1)
        Wait-ProcessGone $id | Should -BeTrue
    }

    It 'a pwsh killed with SIGKILL takes its plugins with it within 5 s' {
        $pidFile = Join-Path ([IO.Path]::GetTempPath()) "rpcplugin-pid-$([guid]::NewGuid())"
        $script = @"
Import-Module '$env:RPCPLUGIN_MODULE'
`$s = Start-RpcPlugin '$TestPlugin' -ProtocolVersion 2 -Environment @{ TESTPLUGIN_MODE = 'spawn-child' }
`$grandchild = (Get-RpcPluginLog `$s -Wait | Where-Object { `$_.Fields.Contains('grandchild_pid') } | Select-Object -First 1).Fields['grandchild_pid']
Set-Content '$pidFile' "`$PID `$(`$s.ProcessId) `$grandchild"
Start-Sleep 600
"@
        $file = Join-Path ([IO.Path]::GetTempPath()) "rpcplugin-child-$([guid]::NewGuid()).ps1"
        Set-Content $file $script
        $info = New-PwshStartInfo -File $file
        $info.RedirectStandardOutput = $true
        $child = [Diagnostics.Process]::Start($info)
        try {
            Wait-Until { (Test-Path $pidFile) -and (Get-Content $pidFile) } -Seconds 60 | Should -BeTrue
            $hostPid, $pluginPid, $grandchildPid = (Get-Content $pidFile) -split ' ' | ForEach-Object { [int]$_ }
            $hostPid | Should -Be $child.Id
            Test-ProcessGone $pluginPid | Should -BeFalse

            & kill -KILL $hostPid

            Wait-ProcessGone $pluginPid -Seconds 5 | Should -BeTrue
            Wait-ProcessGone $grandchildPid -Seconds 5 | Should -BeTrue
        } finally {
            if (-not $child.HasExited) { $child.Kill() }
            Remove-Item $file, $pidFile -ErrorAction SilentlyContinue
        }
    }

    It 'a pwsh killed with SIG<Signal> leaves no plugin, no grandchild (that called <Escape>) and nothing in the temp directory (socket <Socket>)' -ForEach @(
        @{ Signal = 'KILL'; Escape = 'setsid'; Socket = 'in our directory' }
        @{ Signal = 'KILL'; Escape = 'setpgid'; Socket = 'of its own choosing' }
        @{ Signal = 'TERM'; Escape = 'setsid'; Socket = 'of its own choosing' }
        @{ Signal = 'TERM'; Escape = 'setpgid'; Socket = 'in our directory' }
        @{ Signal = 'KILL'; Escape = 'nothing'; Socket = 'of its own choosing' }
        @{ Signal = 'TERM'; Escape = 'nothing'; Socket = 'in our directory' }
    ) {
        if (-not $LauncherBuilt -and $Escape -ne 'nothing') { Set-ItResult -Skipped -Because $LauncherMissing; return }
        # The child pwsh gets a temp directory of its own, so that whatever of ours stays there is seen (and
        # nothing of other tests running at the same time). .NET's diagnostic sockets are turned off: they are
        # the runtime's, left by any .NET process that is killed.
        $tmp = Join-Path ([IO.Path]::GetTempPath()) "rpcplugin-lifetime-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = New-Item -ItemType Directory $tmp
        $pidFile = Join-Path $tmp 'pids'
        $ownSocket = if ($Socket -eq 'of its own choosing') { '; PLUGIN_UNIX_SOCKET_DIR = $null' } else { '' }
        $mode = if ($Escape -eq 'nothing') { 'spawn-child' } else { "spawn-child:$Escape" }
        $script = @"
Import-Module '$env:RPCPLUGIN_MODULE'
`$s = Start-RpcPlugin '$TestPlugin' -ProtocolVersion 2 -Environment @{ TESTPLUGIN_MODE = '$mode'$ownSocket }
`$grandchild = (Get-RpcPluginLog `$s -Wait | Where-Object { `$_.Fields.Contains('grandchild_pid') } | Select-Object -First 1).Fields['grandchild_pid']
Set-Content '$pidFile.tmp' "`$PID `$(`$s.ProcessId) `$grandchild `$(`$s.Address)"
Move-Item '$pidFile.tmp' '$pidFile'
Start-Sleep 600
"@
        $file = Join-Path $tmp 'child.ps1'
        Set-Content $file $script
        $info = New-PwshStartInfo -File $file -Environment @{ TMPDIR = $tmp; DOTNET_EnableDiagnostics = '0' }
        $info.RedirectStandardOutput = $true
        $child = [Diagnostics.Process]::Start($info)
        try {
            Wait-Until { Test-Path $pidFile } -Seconds 60 | Should -BeTrue
            $hostPid, $pluginPid, $grandchildPid, $address = (Get-Content $pidFile) -split ' '
            [int] $hostPid | Should -Be $child.Id
            Test-ProcessGone $pluginPid | Should -BeFalse
            Test-ProcessGone $grandchildPid | Should -BeFalse
            $address | Should -BeLike "$tmp/*"
            (Split-Path $address -Parent) -eq $tmp | Should -Be ($Socket -eq 'of its own choosing')

            & kill "-$Signal" $hostPid

            Wait-ProcessGone $pluginPid -Seconds 10 | Should -BeTrue
            Wait-ProcessGone $grandchildPid -Seconds 10 | Should -BeTrue
            Wait-Until { -not (Test-Path $address) } -Seconds 10 | Should -BeTrue -Because "the plugin's socket $address should be gone"
            $left = { @(Get-ChildItem -LiteralPath $tmp -Force | Where-Object { $_.Name -like 'rpcplugin-*' -or $_.Name -like 'plugin*' }) }
            Wait-Until { (& $left).Count -eq 0 } -Seconds 10 | Should -BeTrue -Because "nothing of ours should stay in $tmp, found: $((& $left).Name -join ', ')"
        } finally {
            if (-not $child.HasExited) { $child.Kill() }
            $child.Dispose()
            Remove-Item $tmp -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'imports and works after an older Google.Protobuf was loaded into the default context' {
        $old = Join-Path $env:RPCPLUGIN_NUGET_PACKAGES 'google.protobuf/3.21.9/lib/net5.0/Google.Protobuf.dll'
        Test-Path $old | Should -BeTrue
        $output = (Invoke-FreshPwsh @"
Add-Type -Path '$old'
'default:' + [Google.Protobuf.ByteString].Assembly.GetName().Version
Import-Module '$env:RPCPLUGIN_MODULE'
`$s = Start-RpcPlugin '$TestPlugin' -ProtocolVersion 2
'healthy:' + (Test-RpcPlugin `$s)
`$s | Stop-RpcPlugin
'state:' + `$s.State
"@).Lines
        $output | Should -Contain 'default:3.21.9.0'
        $output | Should -Contain 'healthy:True'
        $output | Should -Contain 'state:Exited'
    }

    It 'importing the module again with -Force keeps every cmdlet' {
        $output = (Invoke-FreshPwsh @"
Import-Module '$env:RPCPLUGIN_MODULE'
Import-Module '$env:RPCPLUGIN_MODULE' -Force
(Get-Command -Module RpcPlugin).Count
"@).Lines
        [int]($output | Select-Object -Last 1) | Should -Be (Import-PowerShellDataFile $env:RPCPLUGIN_MODULE).CmdletsToExport.Count
    }
}
