# -ArgumentList and -Environment on Windows: a command line is one string there, which each program splits by the
# Windows rules (backslashes before quotes, empty arguments); environment names are case-insensitive.
BeforeDiscovery {
    $NoGoPeers = -not (Test-Path (Join-Path $env:RPCPLUGIN_WIN_PEERS 'go-echo-plugin.exe'))
    $NoTestPlugin = -not $env:RPCPLUGIN_WIN_TESTPLUGIN
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../WindowsTestHelpers.ps1')
    # What breaks naive quoting: spaces, quotes, trailing and doubled backslashes before a quote, an empty
    # argument, a tab, non-ASCII text, and what cmd.exe would expand or interpret (no shell is involved).
    $tricky = @('a b', 'c"d', '', 'e\', 'f\\"g', "tab`there", 'héllo wörld ✓', '-flag=x y', '%PATH%', '^&|<>', 'C:\Program Files\x\')
}

Describe '-ArgumentList on Windows' {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin
    }

    It 'reaches a .NET plugin argument by argument' -Skip:$NoTestPlugin {
        $session = Start-WinTestPlugin -Parameters @{ ArgumentList = $tricky }
        $info = Invoke-RpcPluginMethod $session testplugin.Echo/GetInfo
        $info.args.Count | Should -Be $tricky.Count
        for ($i = 0; $i -lt $tricky.Count; $i++) { $info.args[$i] | Should -BeExactly $tricky[$i] }
    }

    It 'reaches a Go plugin argument by argument' -Skip:$NoGoPeers {
        $session = Start-GoEcho -Parameters @{ ArgumentList = $tricky }
        $received = @((Get-GoStartLog $session).Fields['args'])
        $received.Count | Should -Be $tricky.Count
        for ($i = 0; $i -lt $tricky.Count; $i++) { $received[$i] | Should -BeExactly $tricky[$i] }
    }
}

Describe '-Environment on Windows' -Skip:$NoTestPlugin {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin
        Remove-Item env:RPCPLUGIN_LANE_* -ErrorAction SilentlyContinue
    }

    It 'reaches the plugin and not PowerShell' {
        $session = Start-WinTestPlugin -Environment @{ RPCPLUGIN_LANE_ONLY = 'for the plugin' }
        (Invoke-RpcPluginMethod $session testplugin.Echo/GetInfo).environment['RPCPLUGIN_LANE_ONLY'] | Should -Be 'for the plugin'
        $env:RPCPLUGIN_LANE_ONLY | Should -BeNullOrEmpty
    }

    It 'replaces an inherited variable whatever the case of its name' {
        $env:RPCPLUGIN_LANE_CASE = 'from PowerShell'
        $session = Start-WinTestPlugin -Environment @{ rpcplugin_lane_case = 'from -Environment' }
        $environment = (Invoke-RpcPluginMethod $session testplugin.Echo/GetInfo).environment
        $names = @($environment.Keys | Where-Object { $_ -eq 'RPCPLUGIN_LANE_CASE' })
        $names.Count | Should -Be 1 -Because 'Windows has one variable per name, whatever its case'
        $environment[$names[0]] | Should -Be 'from -Environment'
        $env:RPCPLUGIN_LANE_CASE | Should -Be 'from PowerShell'
    }

    It 'removes an inherited variable given as $null' {
        $env:RPCPLUGIN_LANE_GONE = 'inherited'
        $session = Start-WinTestPlugin -Environment @{ RPCPLUGIN_LANE_GONE = $null }
        @((Invoke-RpcPluginMethod $session testplugin.Echo/GetInfo).environment.Keys) | Should -Not -Contain 'RPCPLUGIN_LANE_GONE'
    }
}
