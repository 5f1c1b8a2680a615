BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $one = Start-TestPlugin -Parameters @{ Name = 'pipe-one' }
    $two = Start-TestPlugin -Parameters @{ Name = 'pipe-two' }

    function Invoke-Fresh([string] $Script) {
        # Runs a script in a child pwsh with no session of its own, so that prompting cannot hang this run:
        # -NonInteractive turns a prompt for a mandatory parameter into an error. Returns output and errors.
        $run = Invoke-FreshPwsh ("Import-Module '$env:RPCPLUGIN_MODULE'`n" + $Script)
        $run.Output + $run.Errors
    }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
    Wait-ProcessGone $one.ProcessId | Should -BeTrue
    Wait-ProcessGone $two.ProcessId | Should -BeTrue
}

Describe 'Method objects from Get-RpcPluginMethod' {
    It 'carry their session' {
        $method = Get-RpcPluginMethod Echo/Unary -Session $two
        $method.Session | Should -BeOfType ([RpcPlugin.RpcPluginSession])
        $method.Session.Id | Should -Be $two.Id
        (Get-RpcPluginService Echo -Session $two).Methods[0].Session.Id | Should -Be $two.Id
    }

    It 'name the method and its session when piped into Invoke-RpcPluginMethod, with -Request as the request' {
        $reply = Get-RpcPluginMethod Echo/GetInfo -Session $two | Invoke-RpcPluginMethod
        $reply.pid | Should -Be $two.ProcessId
        $echo = Get-RpcPluginMethod Echo/Unary -Session $one | Invoke-RpcPluginMethod -Request @{ message = 'chained' }
        $echo.message | Should -Be 'chained'
        $echo.pid | Should -Be $one.ProcessId
    }

    It 'make one call each, on their own sessions, even when several sessions are open' {
        $methods = @(Get-RpcPluginMethod Echo/GetInfo -Session $one) + @(Get-RpcPluginMethod Echo/GetInfo -Session $two)
        @($methods | Invoke-RpcPluginMethod).pid | Should -Be @($one.ProcessId, $two.ProcessId)
    }

    It 'call another session when -Session or -SessionName says so' {
        (Get-RpcPluginMethod Echo/GetInfo -Session $one | Invoke-RpcPluginMethod -SessionName pipe-two).pid | Should -Be $two.ProcessId
    }

    It 'call each streaming shape, a client stream taking -Request as its stream' {
        @(Get-RpcPluginMethod Echo/ServerStream -Session $one | Invoke-RpcPluginMethod -Request @{ count = 3 }).index | Should -Be @(0, 1, 2)
        (Get-RpcPluginMethod Echo/ClientStream -Session $one | Invoke-RpcPluginMethod -Request @(@{ message = 'a' }, @{ message = 'b' })).messages | Should -Be @('a', 'b')
    }

    It 'name the request type when piped into New-RpcPluginMessage' {
        $skeleton = Get-RpcPluginMethod Echo/ServerStream -Session $two | New-RpcPluginMessage
        @($skeleton.Keys) | Should -Be @('count', 'interval_ms', 'payload_size', 'message')
    }

    It 'never prompt for -Method in a non-interactive shell' {
        $output = Invoke-Fresh @"
`$s = Start-RpcPlugin '$TestPlugin' -Name fresh
try {
    (Get-RpcPluginMethod Echo/Unary | Invoke-RpcPluginMethod -Request @{ message = 'no prompt' }).message
    (Get-RpcPluginMethod Echo/Sleep | New-RpcPluginMessage).Keys
} finally { `$s | Stop-RpcPlugin }
"@
        ($output | Out-String) | Should -Match 'no prompt'
        ($output | Out-String) | Should -Match 'milliseconds'
        ($output | Out-String) | Should -Not -Match 'Method:'
    }

    It 'refuse -Method given as well' {
        $out = Get-RpcPluginMethod Echo/Unary -Session $one | Invoke-RpcPluginMethod -Method testplugin.Echo/Unary -ErrorVariable failures -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidArgument,*'
        $failures[0].Exception.Message | Should -BeLike "*method object 'testplugin.Echo/Unary' came through the pipeline while -Method names*"
    }
}

Describe 'Sessions piped into Invoke-RpcPluginMethod' {
    It 'are where -Method is called, one call per session' {
        @(Get-RpcPlugin pipe-* | Invoke-RpcPluginMethod -Method testplugin.Echo/GetInfo).pid | Should -Be @($one.ProcessId, $two.ProcessId)
        (Get-RpcPlugin pipe-two | Invoke-RpcPluginMethod -Method Echo/Unary -Request @{ message = 'to two' }).pid | Should -Be $two.ProcessId
    }

    It 'without -Method, get PowerShell''s missing-parameter error rather than a prompt' {
        $output = Invoke-Fresh @"
`$s = Start-RpcPlugin '$TestPlugin' -Name fresh
try { Get-RpcPlugin | Invoke-RpcPluginMethod -ErrorAction Stop } catch { 'ERROR: ' + `$_.Exception.Message } finally { `$s | Stop-RpcPlugin }
"@
        ($output | Out-String) | Should -Match 'ERROR: .*Method'
    }

    It 'are refused with -Session given as well' {
        $null = $two | Invoke-RpcPluginMethod -Session $one -Method Echo/GetInfo -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidArgument,*'
        $failures[0].Exception.Message | Should -BeLike '*A session came through the pipeline while -Session or -SessionName names one*'
    }

    It 'are refused as copies from another process (<Form>), with the message -Session gives, and never sent as a request' -ForEach @(
        @{ Form = 'a session with -Request'; Piped = 'session'; Parameters = @{ Method = 'Echo/Unary'; Request = @{ message = 'x' } } }
        @{ Form = 'a session without -Request'; Piped = 'session'; Parameters = @{ Method = 'Echo/Unary' } }
        @{ Form = 'a session with -SessionName given'; Piped = 'session'; Parameters = @{ SessionName = 'pipe-one'; Method = 'Echo/Unary' } }
        @{ Form = 'a method object'; Piped = 'method'; Parameters = @{ Request = @{ message = 'x' } } }
    ) {
        function Copy-AcrossProcess($Value) { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Value)) }
        $copy = Copy-AcrossProcess $(if ($Piped -eq 'session') { $one } else { Get-RpcPluginMethod Echo/Unary -Session $one })
        $expected = try { Invoke-RpcPluginMethod -Session (Copy-AcrossProcess $one) -Method Echo/Unary } catch { $_.Exception.Message }
        $expected | Should -BeLike '*is a copy that crossed into another process*'

        $failures = @()
        $out = $copy | Invoke-RpcPluginMethod @Parameters -ErrorVariable failures -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidArgument,*'
        $failures[0].Exception.Message | Should -BeLike '*is a copy that crossed into another process*'
        if ($Piped -eq 'session') {
            # -Session's message is PowerShell's "Cannot process argument transformation on parameter 'Session'." and ours.
            $expected.EndsWith($failures[0].Exception.Message) | Should -BeTrue
        }
    }

    It 'are not mixed with requests in one pipeline' {
        $out = @($one, @{ message = 'x' }) | Invoke-RpcPluginMethod -Method Echo/Unary -ErrorVariable failures -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $failures[0].Exception.Message | Should -BeLike '*A request came through the pipeline after method objects or sessions*'
    }
}

Describe 'Requests from the pipeline still work as before' {
    It 'one call per request with -Method and a session' {
        @(@{ message = 'a' }, @{ message = 'b' } | Invoke-RpcPluginMethod $one testplugin.Echo/Unary).message | Should -Be @('a', 'b')
        @(@{ message = 'c' } | Invoke-RpcPluginMethod -SessionName pipe-two Echo/Unary).pid | Should -Be $two.ProcessId
    }

    It 'a client stream from the pipeline' {
        (1..3 | ForEach-Object { @{ message = "m$_" } } | Invoke-RpcPluginMethod $one testplugin.Echo/ClientStream).count | Should -Be 3
    }

    It 'an empty pipeline makes one call with -Request' {
        (@() | Invoke-RpcPluginMethod $one testplugin.Echo/Unary -Request @{ message = 'empty pipe' }).message | Should -Be 'empty pipe'
    }

    It 'a pipeline of requests without a session, with two sessions open, is the usual error' {
        { @{ message = 'x' } | Invoke-RpcPluginMethod testplugin.Echo/Unary -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.SessionNotFound,*'
    }
}

Describe 'Invoke-RpcPluginMethod -IgnoreUnknownFields' {
    It 'skips properties the request type lacks' {
        (Invoke-RpcPluginMethod $one testplugin.Echo/Unary @{ message = 'kept'; comment = 'dropped'; row = 3 } -IgnoreUnknownFields).message | Should -Be 'kept'
    }

    It 'passes a response of another type on as a request' {
        $summary = Invoke-RpcPluginMethod $one testplugin.Echo/GetInfo
        # PluginInfo has pid, network, address... EchoRequest has only message and delay_ms.
        { $summary | Invoke-RpcPluginMethod $one testplugin.Echo/Unary -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*'
        ($summary | Invoke-RpcPluginMethod $one testplugin.Echo/Unary -IgnoreUnknownFields).message | Should -Be ''
    }

    It 'takes Import-Csv rows with extra columns' {
        $csv = Join-Path $TestDrive 'rows.csv'
        "message,note`nfirst,x`nsecond,y" | Set-Content $csv
        @(Import-Csv $csv | Invoke-RpcPluginMethod $one testplugin.Echo/Unary -IgnoreUnknownFields).message | Should -Be @('first', 'second')
    }

    It 'skips unknown names in a JSON request too, and nested ones' {
        (Invoke-RpcPluginMethod $one testplugin.Echo/Unary '{"message":"json","extra":1}' -IgnoreUnknownFields).message | Should -Be 'json'
        (Invoke-RpcPluginMethod $one testplugin.Echo/EchoAll @{ f_nested = @{ name = 'n'; other = 1 } } -IgnoreUnknownFields).f_nested.name | Should -Be 'n'
    }

    It 'without it, an unknown field stays an error naming it and the valid fields' {
        $null = Invoke-RpcPluginMethod $one testplugin.Echo/Unary @{ message = 'x'; comment = 'y' } -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidRequest,*'
        $failures[0].Exception.Message | Should -BeLike "*no field 'comment'; valid fields: message, delay_ms*"
    }
}
