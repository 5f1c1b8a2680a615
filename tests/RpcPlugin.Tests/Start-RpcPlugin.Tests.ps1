BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Start-RpcPlugin' {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin
    }

    It 'tells with -Verbose how the handshake and the TLS connection went' {
        $verbose = @(Start-TestPlugin -Parameters @{ Name = 'verbose'; Verbose = $true } 4>&1)
        $session = $verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $text = ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"

        $text | Should -Match 'WaitingForHandshake: pid \d+'
        $text | Should -Match 'Connecting: unix://\S+ \(.*TLS'
        $text | Should -Match "Plugin 'verbose' \(pid \d+\) ready at unix://"
        $session | Stop-RpcPlugin
    }

    It 'reports its stages as progress and clears the bar once ready' {
        # Progress cannot be redirected in a script, so the start runs in its own PowerShell instance.
        $runspace = New-TestRunspace
        try {
            $ps = [powershell]::Create($runspace)
            $null = $ps.AddScript('param($p) $s = Start-RpcPlugin $p -Name progress -ProtocolVersion 1, 2; $s.ProcessId; $s | Stop-RpcPlugin').AddArgument($TestPlugin)
            $processId = $ps.Invoke() | Select-Object -First 1
            $ps.HadErrors | Should -BeFalse
            $records = @($ps.Streams.Progress)

            $records[0].Activity | Should -Be "Starting plugin 'progress'"
            ($records.StatusDescription -join "`n") | Should -Match 'WaitingForHandshake: pid \d+'
            ($records.StatusDescription -join "`n") | Should -Match 'Connecting: unix:'
            $records[-1].RecordType | Should -Be Completed
            Wait-ProcessGone $processId | Should -BeTrue
        } finally { $runspace.Dispose() }
    }

    It 'starts, checks and stops a plugin over <Network> with AutoMTLS <Tls>' -ForEach @(
        @{ Network = 'unix'; Tls = $true }
        @{ Network = 'unix'; Tls = $false }
        @{ Network = 'tcp'; Tls = $true }
        @{ Network = 'tcp'; Tls = $false }
    ) {
        $session = Start-TestPlugin -Network $Network -Parameters @{ NoAutoMtls = -not $Tls }
        $id = $session.ProcessId

        $session | Should -BeOfType ([RpcPlugin.RpcPluginSession])
        $session.State | Should -Be 'Ready'
        $session.Network | Should -Be $Network
        $session.Tls | Should -Be $Tls
        $session.ProtocolVersion | Should -Be 2
        Test-RpcPlugin $session | Should -BeTrue
        (Get-RpcPlugin).Id | Should -Be $session.Id

        $session | Stop-RpcPlugin

        $session.State | Should -Be 'Exited'
        $session.ExitCode | Should -Be 0
        Get-RpcPlugin | Should -BeNullOrEmpty
        Test-ProcessGone $id | Should -BeTrue
        if ($Network -eq 'unix') { Test-Path $session.Address | Should -BeFalse }
    }

    It 'resolves a relative path against the current location' {
        Push-Location (Split-Path $TestPlugin)
        try {
            $session = Start-RpcPlugin ./TestPlugin -ProtocolVersion 2
            $session.FilePath | Should -Be $TestPlugin
        } finally { Pop-Location }
    }

    It 'finds a bare name on PATH' {
        $saved = $env:PATH
        $env:PATH = (Split-Path $TestPlugin) + [IO.Path]::PathSeparator + $env:PATH
        try {
            Push-Location ([IO.Path]::GetTempPath())
            $session = Start-RpcPlugin TestPlugin -Name onpath
            $session.FilePath | Should -Be $TestPlugin
            $session.Name | Should -Be 'onpath'
        } finally { Pop-Location; $env:PATH = $saved }
    }

    It 'starts nothing with -WhatIf' {
        Start-RpcPlugin $TestPlugin -WhatIf | Should -BeNullOrEmpty
        Get-RpcPlugin | Should -BeNullOrEmpty
    }

    It 'keeps -Environment out of this session''s own environment' {
        $session = Start-TestPlugin -Environment @{ RPCPLUGIN_ONLY_FOR_PLUGIN = 'x y' } -Parameters @{ ArgumentList = @('a b', '"q"', ';', '$(whoami)') }

        $session.State | Should -Be 'Ready'
        $env:RPCPLUGIN_ONLY_FOR_PLUGIN | Should -BeNullOrEmpty
    }

    It 'reports <Mode> as <ErrorId>' -ForEach @(
        @{ Mode = 'no-handshake'; ErrorId = 'RpcPlugin.HandshakeTimeout'; Detail = 'no handshake line'; Timeout = 2 }
        @{ Mode = 'garbage'; ErrorId = 'RpcPlugin.HandshakeInvalid'; Detail = "'1|1|carrier-pigeon|nowhere|grpc|'"; Timeout = 30 }
        @{ Mode = 'wrong-core'; ErrorId = 'RpcPlugin.ProtocolVersionMismatch'; Detail = 'core protocol version 2'; Timeout = 30 }
        @{ Mode = 'wrong-app-version'; ErrorId = 'RpcPlugin.ProtocolVersionMismatch'; Detail = 'version 99'; Timeout = 30 }
        @{ Mode = 'netrpc'; ErrorId = 'RpcPlugin.HandshakeInvalid'; Detail = 'net/rpc'; Timeout = 30 }
        @{ Mode = 'exit-early'; ErrorId = 'RpcPlugin.PluginExited'; Detail = 'exited with code 3'; Timeout = 30 }
        @{ Mode = 'wrong-cert'; ErrorId = 'RpcPlugin.TlsFailure'; Detail = 'other than the one in its handshake'; Timeout = 30 }
    ) {
        $marker = New-ProcessMarker
        $err = { Start-TestPlugin -Mode $Mode -Parameters @{ StartTimeout = $Timeout; MaxRetries = 0; ArgumentList = $marker } } |
            Should -Throw -ErrorId "$ErrorId,*" -PassThru

        $err.Exception.Message | Should -BeLike "*$Detail*"
        $err.TargetObject | Should -Be $TestPlugin
        Wait-Until { (Get-MarkedProcess $marker).Count -eq 0 } | Should -BeTrue
        Get-RpcPlugin | Should -BeNullOrEmpty
    }

    It 'shows the plugin''s own words when the magic cookie is wrong' {
        $err = { Start-TestPlugin -Parameters @{ MagicCookieValue = 'wrong' } } | Should -Throw -ErrorId 'RpcPlugin.MagicCookieRejected,*' -PassThru

        $err.Exception.Message | Should -BeLike '*This binary is a plugin*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*-MagicCookieKey*'
    }

    It 'takes the cookie from PLUGIN_MAGIC_COOKIE_KEY/VALUE when no parameter gives it' {
        $env:PLUGIN_MAGIC_COOKIE_VALUE = 'wrong'
        try {
            { Start-TestPlugin } | Should -Throw -ErrorId 'RpcPlugin.MagicCookieRejected,*'
            $session = Start-TestPlugin -Parameters @{ MagicCookieValue = 'test_cookie_value' }
            $session.State | Should -Be 'Ready'
        } finally { Remove-Item env:PLUGIN_MAGIC_COOKIE_VALUE }
    }

    It 'starts a plugin that prints noise before its handshake' {
        $session = Start-TestPlugin -Mode 'noise-then-handshake'

        $session.State | Should -Be 'Ready'
        (Get-RpcPluginLog $session | Where-Object Source -EQ 'Stdout') | Should -Not -BeNullOrEmpty
    }

    It 'fails a slow plugin with HandshakeTimeout on time when PLUGIN_CONNECTION_TIMEOUT=1' {
        $env:PLUGIN_CONNECTION_TIMEOUT = '1'
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            { Start-RpcPlugin $TestPlugin -Environment @{ TESTPLUGIN_MODE = 'slow-start:5000' } } |
                Should -Throw -ErrorId 'RpcPlugin.HandshakeTimeout,*'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 4
        } finally { Remove-Item env:PLUGIN_CONNECTION_TIMEOUT }
    }

    It 'takes -StartTimeout as <Value>' -ForEach @(
        @{ Value = 1 }
        @{ Value = '1s' }
        @{ Value = '1000ms' }
        @{ Value = '00:00:01' }
        @{ Value = [timespan]::FromSeconds(1) }
    ) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        { Start-RpcPlugin $TestPlugin -StartTimeout $Value -Environment @{ TESTPLUGIN_MODE = 'no-handshake' } } |
            Should -Throw -ErrorId 'RpcPlugin.HandshakeTimeout,*'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 4
    }

    It 'rejects a duration it cannot read with a message that shows the forms it can' {
        { Start-RpcPlugin $TestPlugin -StartTimeout 'soon' } | Should -Throw -ExpectedMessage "*'500ms'*"
    }

    It 'reports a missing executable as PluginNotFound' {
        { Start-RpcPlugin ./no-such-plugin } | Should -Throw -ErrorId 'RpcPlugin.PluginNotFound,*'
    }

    It 'reports a file that is not executable as PluginNotFound with the reason' {
        $file = New-TemporaryFile
        try {
            $err = { Start-RpcPlugin $file.FullName } | Should -Throw -ErrorId 'RpcPlugin.PluginNotFound,*' -PassThru
            $err.Exception.Message | Should -BeLike '*not executable*'
        } finally { Remove-Item $file }
    }

    It 'starts nothing when the checksum does not match' {
        $marker = New-ProcessMarker
        { Start-RpcPlugin $TestPlugin $marker -Checksum ('0' * 64) } | Should -Throw -ErrorId 'RpcPlugin.ChecksumMismatch,*'
        (Get-MarkedProcess $marker).Count | Should -Be 0
    }

    It 'starts when the checksum matches' {
        $hash = (Get-FileHash $TestPlugin -Algorithm SHA256).Hash
        $session = Start-RpcPlugin $TestPlugin -Checksum $hash -ProtocolVersion 2
        $session.State | Should -Be 'Ready'
    }

    It 'refuses a $null in -ArgumentList saying which argument' {
        $err = { Start-RpcPlugin $TestPlugin -ArgumentList 'a', $null } | Should -Throw -ErrorId 'RpcPlugin.InvalidArgument,*' -PassThru
        $err.Exception.Message | Should -BeLike '*argument 2*null*'
        $err.Exception.Message | Should -Not -BeLike "*Parameter 'chars'*"
    }

    It 'refuses an argument with a NUL character, which no program could receive' {
        { Start-RpcPlugin $TestPlugin -ArgumentList "a`0b" } | Should -Throw -ErrorId 'RpcPlugin.InvalidArgument,*'
    }

    It 'refuses <Case> before anything starts' -ForEach @(
        @{ Case = 'a -MagicCookieValue with a NUL character'; Parameters = @{ MagicCookieValue = "a`0b" }; Expected = '*cookie*NUL*' }
        @{ Case = 'a -MagicCookieKey with an equals sign'; Parameters = @{ MagicCookieKey = 'K=V' }; Expected = "*cookie*'K=V'*'='*" }
        @{ Case = 'a -MagicCookieKey with a NUL character'; Parameters = @{ MagicCookieKey = "K`0" }; Expected = '*cookie*NUL*' }
        @{ Case = 'a -Name with a NUL character'; Parameters = @{ Name = "a`0b" }; Expected = '*-Name*NUL*' }
        @{ Case = 'a -WorkingDirectory with a NUL character'; Parameters = @{ WorkingDirectory = "/tmp`0x" }; Expected = '*-WorkingDirectory*NUL*' }
        @{ Case = 'a -CertificateAuthority with a NUL character'; Parameters = @{ CertificateAuthority = "/tmp/ca`0.pem" }; Expected = '*-CertificateAuthority*NUL*' }
    ) {
        $marker = New-ProcessMarker
        $err = { Start-RpcPlugin $TestPlugin $marker @Parameters } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidArgument,*'
        $err.Exception.Message | Should -BeLike $Expected
        (Get-MarkedProcess $marker).Count | Should -Be 0
    }

    It 'refuses a PLUGIN_MAGIC_COOKIE_KEY with an equals sign before anything starts' {
        $marker = New-ProcessMarker
        $env:PLUGIN_MAGIC_COOKIE_KEY = 'K=V'
        try {
            $err = { Start-RpcPlugin $TestPlugin $marker } | Should -Throw -PassThru
        } finally { Remove-Item env:PLUGIN_MAGIC_COOKIE_KEY }
        $err.FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidArgument,*'
        $err.Exception.Message | Should -BeLike "*magic cookie*'K=V'*"
        (Get-MarkedProcess $marker).Count | Should -Be 0
    }

    It 'says that a -WorkingDirectory naming a file is a file' {
        $err = { Start-RpcPlugin $TestPlugin -WorkingDirectory $TestPlugin } | Should -Throw -ErrorId 'RpcPlugin.InvalidArgument,*' -PassThru
        $err.Exception.Message | Should -BeLike '*is a file*'
        $err.Exception.Message | Should -Not -BeLike '*does not exist*'
    }

    It 'refuses a plaintext plugin with -RequireTls' {
        { Start-TestPlugin -Parameters @{ NoAutoMtls = $true; RequireTls = $true } } | Should -Throw -ErrorId 'RpcPlugin.TlsFailure,*'
    }
}
