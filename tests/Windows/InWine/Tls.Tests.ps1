# TLS on Windows, as far as Wine allows, which is not far (docs/process-control.md): Wine's CNG makes no keys and
# cannot use imported ones (no AutoMTLS, no client certificate), and its Schannel refuses the option that turns TLS
# session resumption off, which RpcPlugin sets on every TLS connection (so not even a plugin's own certificate
# verified against -CertificateAuthority). Under Wine the lane checks that these failures are clear errors; the
# tests of working TLS run where the system allows it (they would on real Windows). The certificates come from
# the Linux side: Wine cannot make them.
BeforeDiscovery {
    $NoGoPeers = -not (Test-Path (Join-Path $env:RPCPLUGIN_WIN_PEERS 'go-echo-plugin.exe'))
    $UnderWine = Test-Path 'HKLM:\Software\Wine'
    # Real Windows makes the AutoMTLS key; Wine cannot.
    $CanMakeAutoMtlsKey = try { [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP521).Dispose(); $true } catch { $false }
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../WindowsTestHelpers.ps1')

    function Get-ServerTls([string] $Kind) {
        # go-echo-plugin serving a certificate of the lane's CA (go-plugin's ServeConfig.TLSProvider).
        @{ GO_PEER_TLS_CERT = Join-Path $Pki "server-$Kind.pem"; GO_PEER_TLS_KEY = Join-Path $Pki "server-$Kind.key" }
    }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
}

Describe 'TLS with the plugin''s own certificate on Windows' -Skip:($NoGoPeers -or $UnderWine) {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin
    }

    It 'verifies an <Kind> server certificate against -CertificateAuthority' -ForEach @(@{ Kind = 'rsa' }, @{ Kind = 'ec' }) {
        $session = Start-GoEcho -Parameters @{ Environment = (Get-ServerTls $Kind); CertificateAuthority = (Join-Path $Pki 'ca.pem') }

        $session.Tls | Should -BeTrue
        (Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = "over TLS ($Kind)" }).text | Should -Be "over TLS ($Kind)"
    }

    It 'refuses a plugin whose certificate another CA signed, and leaves nothing running' {
        $err = { Start-GoEcho -Parameters @{ Environment = (Get-ServerTls 'ec'); CertificateAuthority = (Join-Path $Pki 'other-ca.pem'); MaxRetries = 0 } } |
            Should -Throw -ErrorId 'RpcPlugin.TlsFailure,*' -PassThru
        $err.Exception.Message | Should -BeLike '*does not chain to the given CA*'
        Get-Process go-echo-plugin -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'TLS where Wine''s Schannel refuses RpcPlugin''s settings' -Skip:($NoGoPeers -or -not $UnderWine) {
    It 'fails with a TLS error that gives Schannel''s reason, and leaves nothing running' {
        $err = { Start-GoEcho -Parameters @{ Environment = (Get-ServerTls 'ec'); CertificateAuthority = (Join-Path $Pki 'ca.pem'); MaxRetries = 0 } } |
            Should -Throw -ErrorId 'RpcPlugin.TlsFailure,*' -PassThru
        # SEC_E_UNSUPPORTED_FUNCTION: Wine's Schannel has no way to turn session resumption off.
        $err.Exception.Message | Should -BeLike '*TLS handshake*failed: *0x80090302*'
        $err.Exception.Message | Should -Not -BeLike '*see inner exception*'
        Get-Process go-echo-plugin -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe '-RequireTls on Windows' -Skip:$NoGoPeers {
    It 'refuses a plaintext plugin and leaves nothing running' {
        { Start-GoEcho -Parameters @{ RequireTls = $true; MaxRetries = 0 } } | Should -Throw -ErrorId 'RpcPlugin.TlsFailure,*'
        Get-Process go-echo-plugin -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'AutoMTLS where the system cannot make its key' -Skip:$CanMakeAutoMtlsKey {
    It 'fails with a TLS error that says what to do, before starting anything' -Skip:$NoGoPeers {
        $parameters = $GoEchoParameters.Clone()
        $parameters.Remove('NoAutoMtls')

        $err = { Start-RpcPlugin $GoEcho @parameters } | Should -Throw -ErrorId 'RpcPlugin.TlsFailure,*' -PassThru

        $err.Exception.Message | Should -BeLike '*AutoMTLS client certificate*'
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*-NoAutoMtls*'
        Get-Process go-echo-plugin -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
