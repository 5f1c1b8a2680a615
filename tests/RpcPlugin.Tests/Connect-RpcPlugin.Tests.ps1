BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function New-ReattachJson([RpcPlugin.RpcPluginSession] $Session, [int] $ProcessId = $Session.ProcessId) {
        @{ Protocol = 'grpc'; ProtocolVersion = $Session.ProtocolVersion; Pid = $ProcessId; Test = $true
           Addr = @{ Network = $Session.Network; String = $Session.Address } } | ConvertTo-Json -Compress
    }
}

Describe 'Connect-RpcPlugin' {
    BeforeEach {
        # The plugin to attach to, started plaintext (AutoMTLS cannot be used when attaching).
        $owner = Start-TestPlugin -Parameters @{ Name = 'owner'; NoAutoMtls = $true }
    }

    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin -Force
        Wait-ProcessGone $owner.ProcessId | Should -BeTrue
    }

    It 'attaches by -Address and calls methods' {
        $attached = Connect-RpcPlugin -Address "unix://$($owner.Address)" -Name attached

        $attached.Owned | Should -BeFalse
        $attached.Name | Should -Be 'attached'
        (Invoke-RpcPluginMethod $attached testplugin.Echo/Unary @{ message = 'hi' }).message | Should -Be 'hi'
        Test-RpcPlugin $attached | Should -BeTrue
    }

    It 'attaches by a go-plugin reattach config, knowing the pid and protocol version' {
        $attached = Connect-RpcPlugin -ReattachConfig (New-ReattachJson $owner)

        $attached.ProcessId | Should -Be $owner.ProcessId
        $attached.ProtocolVersion | Should -Be 2
        (Invoke-RpcPluginMethod $attached testplugin.Echo/Unary @{ message = 'x' }).pid | Should -Be $owner.ProcessId
    }

    It 'picks a provider of a TF_REATTACH_PROVIDERS value by -Name' {
        $config = [ordered]@{
            'registry.terraform.io/acme/one' = (New-ReattachJson $owner | ConvertFrom-Json)
            'registry.terraform.io/acme/two' = (New-ReattachJson $owner | ConvertFrom-Json)
        } | ConvertTo-Json -Depth 5
        $attached = Connect-RpcPlugin -ReattachConfig $config -Name two

        $attached.Name | Should -Be 'two'
        Test-RpcPlugin $attached | Should -BeTrue
        { Connect-RpcPlugin -ReattachConfig $config } | Should -Throw -ErrorId 'RpcPlugin.InvalidArgument,*' -ExpectedMessage '*acme/one*acme/two*-Name*'
    }

    It 'stops only the connection, and ends the plugin with -Force' {
        $attached = Connect-RpcPlugin -ReattachConfig (New-ReattachJson $owner)

        $attached | Stop-RpcPlugin
        $attached.State | Should -Be 'Disconnected'
        Test-ProcessGone $owner.ProcessId | Should -BeFalse
        Test-RpcPlugin $owner | Should -BeTrue

        $again = Connect-RpcPlugin -ReattachConfig (New-ReattachJson $owner)
        $again | Stop-RpcPlugin -Force
        Wait-ProcessGone $owner.ProcessId | Should -BeTrue
    }

    It 'notices that the plugin it attached to has exited' {
        $attached = Connect-RpcPlugin -ReattachConfig (New-ReattachJson $owner)

        Stop-Process -Id $owner.ProcessId -Force
        Wait-Until { $attached.State -eq 'Exited' } -Seconds 10 | Should -BeTrue
        { Invoke-RpcPluginMethod $attached testplugin.Echo/Unary @{} -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.SessionClosed,*'
    }

    It 'reports <Case>' -ForEach @(
        @{ Case = 'JSON that is not a reattach config'; Config = '{"foo": 1}'; ErrorId = 'RpcPlugin.InvalidArgument' }
        @{ Case = 'text that is not JSON'; Config = 'not json'; ErrorId = 'RpcPlugin.InvalidArgument' }
        @{ Case = 'a net/rpc plugin'; Config = '{"Protocol":"netrpc","Addr":{"Network":"unix","String":"/tmp/x"}}'; ErrorId = 'RpcPlugin.HandshakeInvalid' }
        @{ Case = 'a plugin that is not running'; Config = '{"Protocol":"grpc","Pid":999999999,"Addr":{"Network":"unix","String":"/tmp/x"}}'; ErrorId = 'RpcPlugin.ConnectionFailed' }
    ) {
        { Connect-RpcPlugin -ReattachConfig $Config } | Should -Throw -ErrorId "$ErrorId,*"
    }

    It 'reports an address nothing listens on as ConnectionFailed' {
        { Connect-RpcPlugin -Address 'unix:///tmp/rpcplugin-no-such-socket' -Timeout 2 } | Should -Throw -ErrorId 'RpcPlugin.ConnectionFailed,*'
    }
}
