# The tcp handshake (go-plugin on Windows never uses unix sockets), calls of every kind, logs and runspaces.
BeforeDiscovery {
    $NoGoPeers = -not (Test-Path (Join-Path $env:RPCPLUGIN_WIN_PEERS 'go-echo-plugin.exe'))
    $NoTestPlugin = -not $env:RPCPLUGIN_WIN_TESTPLUGIN
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../WindowsTestHelpers.ps1')
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
}

Describe 'go-plugin over tcp on Windows' -Skip:$NoGoPeers {
    BeforeAll {
        $session = Start-GoEcho -Parameters @{ Environment = @{ GO_PEER_LOG_LEVEL = 'trace'; PLUGIN_MIN_PORT = '21000'; PLUGIN_MAX_PORT = '21999' } }
    }

    AfterAll {
        $session | Stop-RpcPlugin
    }

    It 'handshakes over tcp on 127.0.0.1 in PLUGIN_MIN_PORT..PLUGIN_MAX_PORT' {
        $session.Network | Should -Be 'tcp'
        $host_, $port = $session.Address -split ':'
        $host_ | Should -Be '127.0.0.1'
        [int]$port | Should -BeGreaterOrEqual 21000
        [int]$port | Should -BeLessOrEqual 21999
        $session.ProtocolVersion | Should -Be 2
        $session.Tls | Should -BeFalse
        Test-RpcPlugin $session | Should -BeTrue
    }

    It 'makes unary calls' {
        $reply = Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'unary' }
        $reply.text | Should -Be 'unary'
        $reply.pid | Should -Be $session.ProcessId
    }

    It 'makes server-streaming calls' {
        $replies = Invoke-RpcPluginMethod $session goecho.Echo/ServerStream @{ count = 5; text = 's'; interval_ms = 10 }
        $replies.index | Should -Be (0..4)
    }

    It 'makes client-streaming calls from the pipeline' {
        $summary = 'a', 'b', 'c' | ForEach-Object { @{ text = $_ } } | Invoke-RpcPluginMethod $session goecho.Echo/ClientStream
        $summary.count | Should -Be 3
        $summary.joined | Should -Be 'a b c'
    }

    It 'makes bidi calls' {
        $replies = 'x', 'y' | ForEach-Object { @{ text = $_ } } | Invoke-RpcPluginMethod $session goecho.Echo/Bidi
        $replies.text | Should -Be 'x', 'y'
        $replies.index | Should -Be 0, 1
    }

    It 'maps a gRPC error status' {
        { Invoke-RpcPluginMethod $session goecho.Echo/Fail @{ code = 5; message = 'nope' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.Rpc.NotFound,*'
    }

    It 'reads the plugin''s hclog lines from its stderr' {
        $null = Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'logged' }
        # The plugin's stderr is read apart from its replies: the line may land a moment after the reply.
        $logged = { $_.Message -eq 'unary' -and $_.Fields['text'] -eq 'logged' }
        Wait-Until { Get-RpcPluginLog $session | Where-Object $logged } | Should -BeTrue
        $entries = Get-RpcPluginLog $session
        ($entries | Where-Object Message -eq 'plugin address').Fields['network'] | Should -Be 'tcp'
        $unary = $entries | Where-Object $logged
        $unary.Level | Should -Be 'Trace'
    }
}

Describe 'the C# test plugin on Windows' -Skip:$NoTestPlugin {
    BeforeAll {
        $session = Start-WinTestPlugin
    }

    AfterAll {
        $session | Stop-RpcPlugin
    }

    It 'serves every call kind' {
        (Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'u' }).message | Should -Be 'u'
        (Invoke-RpcPluginMethod $session testplugin.Echo/ServerStream @{ count = 3 }).index | Should -Be (0..2)
        (@{ message = 'a' }, @{ message = 'b' } | Invoke-RpcPluginMethod $session testplugin.Echo/ClientStream).count | Should -Be 2
        (@{ message = 'a' }, @{ message = 'b' } | Invoke-RpcPluginMethod $session testplugin.Echo/Bidi).message | Should -Be 'a', 'b'
    }

    It 'reports the tcp address it listens on and no TLS' {
        $info = Invoke-RpcPluginMethod $session testplugin.Echo/GetInfo
        $info.network | Should -Be 'tcp'
        $info.address | Should -Be $session.Address
        $info.tls | Should -BeFalse
        $info.pid | Should -Be $session.ProcessId
    }

    It 'forwards GRPCStdio output to the log' {
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/Print @{ text = "via stdio`n"; via_stdio = $true }
        Wait-Until { Get-RpcPluginLog $session | Where-Object Message -eq 'via stdio' } | Should -BeTrue
    }

    It 'ends a call at its deadline' {
        { Invoke-RpcPluginMethod $session testplugin.Echo/Sleep @{ milliseconds = 30000 } -Timeout 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.Rpc.DeadlineExceeded,*'
        Test-RpcPlugin $session | Should -BeTrue
    }
}

Describe 'runspaces on Windows' -Skip:$NoGoPeers {
    It 'runs plugins in parallel runspaces, each with its own sessions' {
        $module = $env:RPCPLUGIN_WIN_MODULE
        $parameters = $GoEchoParameters
        $results = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:module
            $p = $using:parameters
            $s = Start-RpcPlugin $using:GoEcho @p
            $reply = Invoke-RpcPluginMethod $s goecho.Echo/Unary @{ text = "runspace $_" }
            [pscustomobject]@{ Text = $reply.text; Pid = $s.ProcessId; Sessions = @(Get-RpcPlugin).Count }
            $s | Stop-RpcPlugin
        }

        $results.Count | Should -Be 3
        ($results.Text | Sort-Object) | Should -Be 'runspace 1', 'runspace 2', 'runspace 3'
        ($results.Pid | Sort-Object -Unique).Count | Should -Be 3
        $results.Sessions | Should -Be 1, 1, 1
        foreach ($id in $results.Pid) { Wait-ProcessGone $id | Should -BeTrue }
        Get-RpcPlugin | Should -BeNullOrEmpty
    }
}
