# Connect-RpcPlugin on Windows, against a plugin that go-plugin's own client (go-host, tests/peers) started and
# describes with a reattach config, as Terraform's debug mode does.
BeforeDiscovery {
    $NoGoPeers = -not (Test-Path (Join-Path $env:RPCPLUGIN_WIN_PEERS 'go-host.exe'))
    $NoTestPlugin = -not $env:RPCPLUGIN_WIN_TESTPLUGIN
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../WindowsTestHelpers.ps1')

    function Start-GoHost {
        # go-host reattach: starts go-echo-plugin with go-plugin's client, prints the reattach config and keeps the
        # plugin until its stdin closes.
        $info = [Diagnostics.ProcessStartInfo]::new((Join-Path $Peers 'go-host.exe'))
        foreach ($argument in 'reattach', 'echo', $GoEcho) { $info.ArgumentList.Add($argument) }
        $info.UseShellExecute = $false
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $process = [Diagnostics.Process]::Start($info)
        $line = $process.StandardOutput.ReadLine()
        $line | Should -Not -BeNullOrEmpty
        [pscustomobject]@{ Process = $process; Config = ($line | ConvertFrom-Json) }
    }

    function Stop-GoHost {
        param($GoHost)
        $GoHost.Process.StandardInput.Close()
        $GoHost.Process.WaitForExit(20000) | Should -BeTrue
        Wait-ProcessGone $GoHost.Config.reattach.Pid | Should -BeTrue
    }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
}

Describe 'Connect-RpcPlugin on Windows' -Skip:$NoGoPeers {
    BeforeAll {
        $goHost = Start-GoHost
        $reattach = $goHost.Config.reattach
    }

    AfterAll {
        Stop-GoHost $goHost
    }

    It 'gets a tcp reattach config from go-plugin''s client' {
        $reattach.Addr.Network | Should -Be 'tcp'
        $reattach.Addr.String | Should -BeLike '127.0.0.1:*'
        Test-ProcessGone $reattach.Pid | Should -BeFalse
    }

    It 'attaches by reattach config, calls, and Stop leaves the plugin running' {
        $session = Connect-RpcPlugin -ReattachConfig ($reattach | ConvertTo-Json -Compress)
        $session.Owned | Should -BeFalse
        $session.ProcessId | Should -Be $reattach.Pid
        $session.Network | Should -Be 'tcp'
        (Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'attached' }).pid | Should -Be $reattach.Pid

        $session | Stop-RpcPlugin

        Test-ProcessGone $reattach.Pid | Should -BeFalse
    }

    It 'attaches by a TF_REATTACH_PROVIDERS value with -Name' {
        $session = Connect-RpcPlugin -ReattachConfig $goHost.Config.tf_reattach_providers -Name 'registry.terraform.io/rpcplugin/echo'
        $session.Name | Should -Be 'registry.terraform.io/rpcplugin/echo'
        (Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'tf' }).text | Should -Be 'tf'
        $session | Stop-RpcPlugin
        Test-ProcessGone $reattach.Pid | Should -BeFalse
    }

    It 'attaches by -Address' {
        $session = Connect-RpcPlugin -Address $reattach.Addr.String
        $session.Network | Should -Be 'tcp'
        (Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'address' }).pid | Should -Be $reattach.Pid
        $session | Stop-RpcPlugin
        Test-ProcessGone $reattach.Pid | Should -BeFalse
    }
}

Describe 'Stop-RpcPlugin -Force on an attached plugin on Windows' -Skip:$NoTestPlugin {
    It 'kills by its pid a plugin that ignores Shutdown' {
        # Started by hand, as another program would: the handshake line says where it listens.
        $info = [Diagnostics.ProcessStartInfo]::new($TestPlugin)
        $info.UseShellExecute = $false
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.Environment['PLUGIN_MAGIC_COOKIE'] = 'test_cookie_value'
        $info.Environment['TESTPLUGIN_NETWORK'] = 'tcp'
        $info.Environment['TESTPLUGIN_MODE'] = 'ignore-shutdown'
        $process = [Diagnostics.Process]::Start($info)
        $process.BeginErrorReadLine() # drained, not shown
        try {
            $fields = $process.StandardOutput.ReadLine() -split '\|'
            $config = @{ Protocol = 'grpc'; ProtocolVersion = [int]$fields[1]; Pid = $process.Id; Addr = @{ Network = $fields[2]; String = $fields[3] } }
            $session = Connect-RpcPlugin -ReattachConfig ($config | ConvertTo-Json -Compress)
            Test-RpcPlugin $session | Should -BeTrue

            $session | Stop-RpcPlugin -Force -Timeout 1

            $process.WaitForExit(15000) | Should -BeTrue
        } finally {
            if (-not $process.HasExited) { $process.Kill() }
        }
    }
}
