# What only the Linux side can do to a Windows PowerShell under Wine: press Ctrl+C (a terminal sends SIGINT, which
# Wine turns into CTRL_C_EVENT for the console's programs) and kill it with SIGKILL. Runs in Linux pwsh, after the
# InWine files, in the lane's Wine prefix (Invoke-WindowsLane.ps1 sets the variables).
BeforeDiscovery {
    $NoTestPlugin = -not $env:RPCPLUGIN_WIN_TESTPLUGIN
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../WineLane.ps1')
    . (Join-Path $PSScriptRoot '../../Wait-Until.ps1')
    $scratch = Join-Path ([IO.Path]::GetTempPath()) "rpcplugin-lane-$([guid]::NewGuid().ToString('n'))"
    $null = New-Item -ItemType Directory $scratch

    function Start-WineHost {
        # Starts the Windows host under Wine on a script; returns its Linux process and where its output goes.
        param([Parameter(Mandatory)] [string] $Script)
        $name = "host-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $file = Join-Path $scratch "$name.ps1"
        Set-Content $file $Script
        $output = Join-Path $scratch "$name.out"
        $process = Start-Process $env:RPCPLUGIN_WIN_WINE -ArgumentList $env:RPCPLUGIN_WIN_HOST, '-NoProfile', '-NonInteractive', '-File', (ConvertTo-WindowsPath $file) `
            -RedirectStandardOutput $output -RedirectStandardError "$output.err" -PassThru
        [pscustomobject]@{ Process = $process; Output = $output; Script = $file }
    }

    function Get-PluginProcess {
        # Linux pids of the test plugin's processes (plugin and grandchild) in the lane's prefix.
        @(Get-WinePrefixProcess | Where-Object { $_ -match '^\d+ \S*TestPlugin\.exe' } | ForEach-Object { [int]($_ -split ' ')[0] })
    }

    $plugin = $env:RPCPLUGIN_WIN_TESTPLUGIN
}

AfterAll {
    Get-PluginProcess | ForEach-Object { & kill -KILL $_ 2>$null }
    Remove-Item $scratch -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'A Windows PowerShell under Wine, from Linux' -Skip:$NoTestPlugin {
    It 'Ctrl+C (SIGINT) stops a starting plugin, and Start-RpcPlugin itself leaves nothing running' {
        $report = Join-Path $scratch 'ctrl-c.txt'
        # The finally block runs while the host is still alive, so the plugin's job is still open: a plugin gone
        # then was ended by Start-RpcPlugin's cancellation, not by the host's exit. .NET calls only: commands
        # would see the pipeline stopping.
        $winHost = Start-WineHost @"
Import-Module '$env:RPCPLUGIN_WIN_MODULE'
try {
    Start-RpcPlugin '$plugin' -NoAutoMtls -StartTimeout 120 -Environment @{ TESTPLUGIN_NETWORK = 'tcp'; TESTPLUGIN_MODE = 'slow-start:120000' }
} finally {
    `$until = [datetime]::UtcNow.AddSeconds(20)
    while ([Diagnostics.Process]::GetProcessesByName('TestPlugin').Count -gt 0 -and [datetime]::UtcNow -lt `$until) { [Threading.Thread]::Sleep(100) }
    [IO.File]::WriteAllText('$(ConvertTo-WindowsPath $report)', "left: `$([Diagnostics.Process]::GetProcessesByName('TestPlugin').Count)")
}
"@
        try {
            Wait-Until { (Get-PluginProcess).Count -gt 0 } -Seconds 90 | Should -BeTrue -Because (Get-Content $winHost.Output -Raw -ErrorAction SilentlyContinue)

            & kill -INT $winHost.Process.Id

            $winHost.Process.WaitForExit(60000) | Should -BeTrue
            Get-Content $winHost.Output -Raw | Should -BeLike '*Ctrl+C*'
            Get-Content $report -Raw -ErrorAction SilentlyContinue | Should -Be 'left: 0'
            Wait-Until { (Get-PluginProcess).Count -eq 0 } | Should -BeTrue
        } finally {
            if (-not $winHost.Process.HasExited) { & kill -KILL $winHost.Process.Id }
        }
    }

    It 'killed with SIGKILL, it takes its plugins and their children with it' {
        $ready = Join-Path $scratch 'ready.txt'
        $winHost = Start-WineHost @"
Import-Module '$env:RPCPLUGIN_WIN_MODULE'
`$s = Start-RpcPlugin '$plugin' -NoAutoMtls -ProtocolVersion 2 -Environment @{ TESTPLUGIN_NETWORK = 'tcp'; TESTPLUGIN_MODE = 'spawn-child' }
`$null = Invoke-RpcPluginMethod `$s testplugin.Echo/GetInfo
Set-Content '$(ConvertTo-WindowsPath $ready)' 'ready'
Start-Sleep 600
"@
        try {
            Wait-Until { Test-Path $ready } -Seconds 90 | Should -BeTrue -Because (Get-Content $winHost.Output -Raw -ErrorAction SilentlyContinue)
            (Get-PluginProcess).Count | Should -Be 2 -Because 'the plugin and the child it started run'

            & kill -KILL $winHost.Process.Id

            Wait-Until { (Get-PluginProcess).Count -eq 0 } -Seconds 15 | Should -BeTrue
        } finally {
            if (-not $winHost.Process.HasExited) { & kill -KILL $winHost.Process.Id }
        }
    }
}
