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

    It 'refuses <Case> with InvalidArgument naming the parameter' -ForEach @(
        @{ Case = 'an -Address with a NUL character'; Parameters = @{ Address = "unix:///tmp/a`0b" }; Expected = '*-Address*NUL*' }
        @{ Case = 'a -Name with a NUL character'; Parameters = @{ Address = '127.0.0.1:1'; Name = "a`0b" }; Expected = '*-Name*NUL*' }
    ) {
        $err = { Connect-RpcPlugin @Parameters -Timeout 2 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidArgument,*'
        $err.Exception.Message | Should -BeLike $Expected
    }

    It 'reports an address nothing listens on as ConnectionFailed' {
        { Connect-RpcPlugin -Address 'unix:///tmp/rpcplugin-no-such-socket' -Timeout 2 } | Should -Throw -ErrorId 'RpcPlugin.ConnectionFailed,*'
    }

    It 'says that a unix socket does not exist, and no more than that' {
        $err = { Connect-RpcPlugin -Address 'unix:///tmp/rpcplugin-no-such-socket' -Timeout 2 } | Should -Throw -ErrorId 'RpcPlugin.ConnectionFailed,*' -PassThru
        $err.Exception.Message | Should -BeLike '*socket /tmp/rpcplugin-no-such-socket does not exist*'
        $err.Exception.Message | Should -Not -BeLike '*AddressNotAvailable*'
        $err.Exception.Message | Should -Not -BeLike '*assign requested address*'
    }

    It 'says that nothing listens on a socket file left behind' {
        # A process that bound a socket and was killed leaves its file (a .NET socket closed normally removes it).
        $stale = Join-Path ([IO.Path]::GetTempPath()) "rpcplugin-stale-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $bind = Join-Path $TestDrive 'bind.ps1'
        Set-Content $bind "`$s = [Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified'); `$s.Bind([Net.Sockets.UnixDomainSocketEndPoint]::new('$stale')); Start-Sleep 60"
        $binder = [Diagnostics.Process]::Start((New-PwshStartInfo -File $bind))
        try {
            Wait-Until { Test-Path $stale } -Seconds 60 | Should -BeTrue
            & kill -KILL $binder.Id
            Wait-ProcessGone $binder.Id | Should -BeTrue
            Test-Path $stale | Should -BeTrue
            $err = { Connect-RpcPlugin -Address "unix://$stale" -Timeout 2 } | Should -Throw -ErrorId 'RpcPlugin.ConnectionFailed,*' -PassThru
            $err.Exception.Message | Should -BeLike "*nothing listens on the socket $stale*"
        } finally {
            if (-not $binder.HasExited) { $binder.Kill() }
            Remove-Item $stale -ErrorAction SilentlyContinue
        }
    }

    It 'speaks of neither a handshake nor a start timeout when <Case>' -ForEach @(
        @{ Case = 'nothing answers in time'; Make = { $l = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $l.Start(); $l } }
        @{ Case = '-RequireTls finds no TLS settings'; Make = { $null } }
    ) {
        $listener = & $Make
        try {
            $address = if ($listener) { "127.0.0.1:$($listener.LocalEndpoint.Port)" } else { $owner.Address }
            $parameters = if ($listener) { @{ Timeout = 1 } } else { @{ RequireTls = $true } }
            $err = { Connect-RpcPlugin -Address $address @parameters } | Should -Throw -PassThru
            $err.Exception.Message | Should -Not -BeLike '*handshake*'
            $err.Exception.Message | Should -Not -BeLike '*start timeout*'
            "$($err.ErrorDetails.RecommendedAction) $($err.Exception.RecommendedAction)" | Should -Not -BeLike '*handshake*'
        } finally { if ($listener) { $listener.Stop() } }
    }

    It 'says what <Network> address a dead session dialled and why nothing answers there' -ForEach @(
        @{ Network = 'tcp'; Why = '*nothing listens*' }
        @{ Network = 'unix'; Why = '*does not exist*' }
    ) {
        $owner = Start-TestPlugin -Network $Network -Parameters @{ Name = "$Network-owner"; NoAutoMtls = $true }
        $attached = Connect-RpcPlugin -Address $owner.Address
        Invoke-RpcPluginMethod $attached testplugin.Echo/Unary @{ message = 'hi' } | Should -Not -BeNullOrEmpty
        $owner | Stop-RpcPlugin

        $err = { Invoke-RpcPluginMethod $attached testplugin.Echo/Unary @{ message = 'hi' } -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.ConnectionFailed,*'
        $err.Exception.Message | Should -BeLike "*$($owner.Address -replace '^unix:')*"
        $err.Exception.Message | Should -BeLike $Why
        $err.Exception.Message | Should -Not -BeLike '*localhost:80*'
        "$($err.ErrorDetails.RecommendedAction) $($err.Exception.RecommendedAction)" | Should -BeLike '*Connect-RpcPlugin*'
    }
}
