# Interoperability with HashiCorp's own go-plugin code (tests/peers): Go plugins served by plugin.Serve, and
# go-plugin's client driving our test plugin. Skipped, with the reason, where the Go toolchain is absent.
BeforeDiscovery {
    $peers = $env:RPCPLUGIN_PEERS
    if (-not $peers) { $peers = Join-Path $PSScriptRoot '../../out/peers' }
    $skip = -not (Test-Path (Join-Path $peers 'go-host'))
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $peers = $env:RPCPLUGIN_PEERS
    if (-not $peers) { $peers = Join-Path $PSScriptRoot '../../out/peers' }
    $kvPlugin = Join-Path $peers 'go-kv-plugin'
    $echoPlugin = Join-Path $peers 'go-echo-plugin'
    $goHost = Join-Path $peers 'go-host'
    $protos = Join-Path $PSScriptRoot '../../protos'
    $reason = if ($env:RPCPLUGIN_PEERS_SKIPPED) { $env:RPCPLUGIN_PEERS_SKIPPED } else { "the Go peers are not built in $peers (tests/peers/build.sh)" }

    function Start-GoHostReattach([string] $Kind, [string] $Plugin) {
        # go-host prints a reattach config, then keeps the plugin running until its stdin closes.
        $info = [System.Diagnostics.ProcessStartInfo]::new($goHost)
        $info.ArgumentList.Add('reattach'); $info.ArgumentList.Add($Kind); $info.ArgumentList.Add($Plugin)
        $info.RedirectStandardInput = $true; $info.RedirectStandardOutput = $true; $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $line = $process.StandardOutput.ReadLine()
        [pscustomobject]@{ Process = $process; Config = ($line | ConvertFrom-Json) ; Line = $line }
    }
}

Describe 'go-plugin peers' -Skip:$skip {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin -Force
    }

    It 'puts and gets through go-kv-plugin with AutoMTLS and -ProtoFile, leaving no process and no socket' {
        $kv = Start-RpcPlugin $kvPlugin -MagicCookieKey BASIC_PLUGIN -MagicCookieValue hello `
            -ProtoFile (Join-Path $protos 'examples/kv.proto') -ImportPath $protos

        $kv.Tls | Should -BeTrue
        Invoke-RpcPluginMethod $kv proto.KV/Put @{ key = 'answer'; value = [byte[]](4, 2) }
        (Invoke-RpcPluginMethod $kv proto.KV/Get @{ key = 'answer' }).value | Should -Be ([byte[]](4, 2))
        Test-RpcPlugin $kv | Should -BeTrue

        $kv | Stop-RpcPlugin
        $kv.ExitCode | Should -Be 0
        Wait-ProcessGone $kv.ProcessId | Should -BeTrue
        Test-Path $kv.Address | Should -BeFalse
    }

    It 'drives every call kind of go-echo-plugin through reflection (v1alpha)' {
        $echo = Start-RpcPlugin $echoPlugin -MagicCookieKey ECHO_PLUGIN -MagicCookieValue go-echo -ProtocolVersion 1, 2

        $echo.ProtocolVersion | Should -Be 2
        $echo.Tls | Should -BeTrue
        (Get-RpcPluginService -Session $echo).Name | Should -Be 'goecho.Echo'
        (Get-RpcPluginMethod -Session $echo).Name | Should -Contain 'Bidi'
        $unary = Invoke-RpcPluginMethod $echo goecho.Echo/Unary @{ text = 'hi' }
        $unary.text | Should -BeLike '*hi*'
        @(Invoke-RpcPluginMethod $echo goecho.Echo/ServerStream @{ count = 5 }).Count | Should -Be 5
        (1..3 | ForEach-Object { @{ text = "t$_" } } | Invoke-RpcPluginMethod $echo goecho.Echo/ClientStream).count | Should -Be 3
        @(1..3 | ForEach-Object { @{ text = "b$_" } } | Invoke-RpcPluginMethod $echo goecho.Echo/Bidi).Count | Should -Be 3
        Invoke-RpcPluginMethod $echo goecho.Echo/Now | Should -BeOfType ([DateTimeOffset])
    }

    It 'gets the services of the protocol version it negotiates: <Version>' -ForEach @(
        @{ Version = 1; Service = 'goecho.EchoV1' }
        @{ Version = 2; Service = 'goecho.Echo' }
    ) {
        $echo = Start-RpcPlugin $echoPlugin -MagicCookieKey ECHO_PLUGIN -MagicCookieValue go-echo -ProtocolVersion $Version
        $echo.ProtocolVersion | Should -Be $Version
        (Get-RpcPluginService -Session $echo).Name | Should -Be $Service
    }

    It 'rejects a Go plugin that answers with a version it was not offered' {
        { Start-RpcPlugin $echoPlugin -MagicCookieKey ECHO_PLUGIN -MagicCookieValue go-echo -ProtocolVersion 3 } |
            Should -Throw -ErrorId 'RpcPlugin.ProtocolVersionMismatch,*' -ExpectedMessage '*accepts only 3*'
    }

    It 'shows go-plugin''s own cookie message when the cookie is wrong' {
        { Start-RpcPlugin $kvPlugin -MagicCookieKey BASIC_PLUGIN -MagicCookieValue nope } |
            Should -Throw -ErrorId 'RpcPlugin.MagicCookieRejected,*' -ExpectedMessage '*This binary is a plugin*'
    }

    It 'reports a failing Go method''s status as RpcPlugin.Rpc.<Code>' {
        $echo = Start-RpcPlugin $echoPlugin -MagicCookieKey ECHO_PLUGIN -MagicCookieValue go-echo -ProtocolVersion 2
        $request = New-RpcPluginMessage goecho.Echo/Fail -Session $echo
        $codeField = @($request.Keys) | Where-Object { $_ -like '*code*' } | Select-Object -First 1
        $messageField = @($request.Keys) | Where-Object { $_ -like '*message*' -or $_ -like '*text*' } | Select-Object -First 1
        $request[$codeField] = 7
        $request[$messageField] = 'not allowed'

        $err = { Invoke-RpcPluginMethod $echo goecho.Echo/Fail $request -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.Rpc.PermissionDenied,*' -PassThru
        $err.Exception.StatusDetail | Should -BeLike '*not allowed*'
    }

    It 'attaches to a plugin go-host keeps running, by <Form>, and ends it only with -Force' -ForEach @(
        @{ Form = 'reattach config' }
        @{ Form = 'TF_REATTACH_PROVIDERS' }
    ) {
        $goRun = Start-GoHostReattach kv $kvPlugin
        try {
            $pluginPid = $goRun.Config.reattach.Pid
            $session = if ($Form -eq 'reattach config') {
                Connect-RpcPlugin -ReattachConfig ($goRun.Config.reattach | ConvertTo-Json -Compress) -ProtoFile (Join-Path $protos 'examples/kv.proto') -ImportPath $protos
            } else {
                Connect-RpcPlugin -ReattachConfig $goRun.Config.tf_reattach_providers -Name rpcplugin/kv -ProtoFile (Join-Path $protos 'examples/kv.proto') -ImportPath $protos
            }
            $session.Owned | Should -BeFalse
            $session.ProcessId | Should -Be $pluginPid
            Invoke-RpcPluginMethod $session proto.KV/Put @{ key = 'k'; value = [byte[]](1) }
            (Invoke-RpcPluginMethod $session proto.KV/Get @{ key = 'k' }).value | Should -Be ([byte[]](1))

            $session | Stop-RpcPlugin
            Test-ProcessGone $pluginPid | Should -BeFalse

            $again = Connect-RpcPlugin -ReattachConfig ($goRun.Config.reattach | ConvertTo-Json -Compress) -NoReflection
            $again | Stop-RpcPlugin -Force
            Wait-ProcessGone $pluginPid | Should -BeTrue
        } finally {
            $goRun.Process.StandardInput.Close()
            if (-not $goRun.Process.WaitForExit(10000)) { $goRun.Process.Kill($true) }
        }
    }

    It 'is driven by go-plugin''s own client (our server side is compatible)' {
        $result = & $goHost testplugin $TestPlugin | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $result.ok | Should -BeTrue
        $result.tls | Should -BeTrue
        $result.stream_count | Should -Be 5
    }
}

Describe 'go-plugin peers (skipped)' -Skip:(-not $skip) {
    It 'needs the Go peers' {
        Set-ItResult -Skipped -Because $reason
    }
}
