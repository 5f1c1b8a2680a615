BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $root = Join-Path ([IO.Path]::GetTempPath()) "rpcplugin-pki-$([guid]::NewGuid())"
    $pki = New-TestPki (Join-Path $root 'good')
    $other = New-TestPki (Join-Path $root 'other') -Name Other
    $serverTls = @{ TESTPLUGIN_SERVER_CERT = $pki.ServerCertPath; TESTPLUGIN_SERVER_KEY = $pki.ServerKeyPath }
    $mutualTls = $serverTls + @{ TESTPLUGIN_CLIENT_CA = $pki.CaPath }
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'TLS' {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin
    }

    It 'verifies a plugin''s own certificate against -CertificateAuthority and presents -ClientCertificate' {
        $session = Start-TestPlugin -Environment $mutualTls -Parameters @{ CertificateAuthority = $pki.CaPath; ClientCertificate = $pki.Client }

        $session.Tls | Should -BeTrue
        Test-RpcPlugin $session | Should -BeTrue
    }

    It 'takes the CA from PLUGIN_CA_CERT as a file:// URI' {
        $env:PLUGIN_CA_CERT = [uri]::new($pki.CaPath, [UriKind]::Absolute).AbsoluteUri
        $env:PLUGIN_CA_CERT | Should -BeLike 'file:///*'
        try {
            $session = Start-TestPlugin -Environment $serverTls
            $session.Tls | Should -BeTrue
            Test-RpcPlugin $session | Should -BeTrue
        } finally { Remove-Item env:PLUGIN_CA_CERT }
    }

    It 'refuses a plugin whose certificate another CA signed' {
        $err = { Start-TestPlugin -Environment $serverTls -Parameters @{ CertificateAuthority = $other.CaPath; MaxRetries = 0 } } |
            Should -Throw -ErrorId 'RpcPlugin.TlsFailure,*' -PassThru
        $err.Exception.Message | Should -BeLike '*does not chain to the given CA*'
    }

    It 'reports a client certificate the plugin refuses as a TLS failure' {
        $err = { Start-TestPlugin -Environment $mutualTls -Parameters @{ CertificateAuthority = $pki.CaPath; ClientCertificate = $other.Client; MaxRetries = 0 } } |
            Should -Throw -ErrorId 'RpcPlugin.TlsFailure,*' -PassThru
        $err.Exception.Message | Should -BeLike '*client certificate*'
        # What the plugin said about it, from its standard error.
        $err.Exception.Message | Should -BeLike '*Last lines of its standard error*refused a TLS client certificate*'
    }

    It 'reports an unreadable CA file before starting anything' {
        $marker = New-ProcessMarker
        { Start-TestPlugin -Parameters @{ CertificateAuthority = (Join-Path $root 'missing.pem'); ArgumentList = $marker } } | Should -Throw -ErrorId 'RpcPlugin.TlsFailure,*'
        (Get-MarkedProcess $marker).Count | Should -Be 0
    }

    It 'warns when AutoMTLS was asked for but the plugin answered without a certificate' {
        # Removing PLUGIN_CLIENT_CERT from the plugin's environment makes it serve plaintext, as a plugin without
        # AutoMTLS support would.
        $output = Start-TestPlugin -Environment @{ PLUGIN_CLIENT_CERT = $null } 3>&1
        $session = $output | Where-Object { $_ -is [RpcPlugin.RpcPluginSession] }
        $warnings = $output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }

        $session.Tls | Should -BeFalse
        $warnings.Message | Should -BeLike '*plaintext*'
    }

    It 'hints at -CertificateAuthority when a plugin with its own certificate is spoken to in plaintext' {
        $err = { Start-TestPlugin -Environment $serverTls -Parameters @{ MaxRetries = 0 } } | Should -Throw -ErrorId 'RpcPlugin.TlsFailure,*' -PassThru
        $err.Exception.Message | Should -BeLike '*speaks TLS*'
        "$($err.Exception.Message) $($err.Exception.RecommendedAction)" | Should -BeLike '*-CertificateAuthority*'
    }

    It 'refuses a -ClientCertificate without its private key before starting anything' {
        $marker = New-ProcessMarker
        $publicOnly = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pki.Client.RawData)
        $err = { Start-TestPlugin -Environment $mutualTls -Parameters @{ CertificateAuthority = $pki.CaPath; ClientCertificate = $publicOnly; MaxRetries = 0; ArgumentList = $marker } } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidArgument,*' -PassThru
        $err.Exception.Message | Should -BeLike '*private key*'
        (Get-MarkedProcess $marker).Count | Should -Be 0
        { Connect-RpcPlugin -Address 'unix:///tmp/rpcplugin-unused' -ClientCertificate $publicOnly -CertificateAuthority $pki.CaPath } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidArgument,*'
    }

    It 'refuses that plugin with -RequireTls' {
        { Start-TestPlugin -Environment @{ PLUGIN_CLIENT_CERT = $null } -Parameters @{ RequireTls = $true; MaxRetries = 0 } } |
            Should -Throw -ErrorId 'RpcPlugin.TlsFailure,*'
    }
}
