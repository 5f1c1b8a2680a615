BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $session = Start-TestPlugin -Parameters @{ Name = 'trace' }

    function Get-Verbose([scriptblock] $Call) {
        @(& $Call 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
    }

    function Get-Debug([scriptblock] $Call) {
        @(& $Call 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message)
    }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
    Wait-ProcessGone $session.ProcessId | Should -BeTrue
}

Describe 'Invoke-RpcPluginMethod -Verbose' {
    It 'reports a unary call: method, kind, status OK, time, requests and responses with their sizes' {
        $verbose = Get-Verbose { Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'hello' } -Verbose }
        # "hello" is 7 protobuf bytes (tag, length, 5 bytes); the reply adds its pid as a varint.
        $line = $verbose | Where-Object { $_ -like 'testplugin.Echo/Unary (Unary): *' }
        $line | Should -Match '^testplugin\.Echo/Unary \(Unary\): OK in [\d.]+ (ms|µs); sent 1 request \(7 bytes\), received 1 response \(\d+ bytes\)\.$'
    }

    It 'reports the response headers and trailers, binary values by their size' {
        $verbose = Get-Verbose { Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'm' } -Metadata @{ 'x-echo-a' = 'one'; 'x-echo-b-bin' = [byte[]](1, 2, 3) } -Verbose }
        ($verbose | Where-Object { $_ -like '*response headers:*' }) | Should -BeLike '*x-echo-a: one*'
        ($verbose | Where-Object { $_ -like '*response headers:*' }) | Should -BeLike '*x-echo-b-bin: <3 bytes>*'
        ($verbose | Where-Object { $_ -like '*trailers:*' }) | Should -BeLike '*trailer-x-echo-a: one*'
        ($verbose | Where-Object { $_ -like '*trailers:*' }) | Should -BeLike '*trailer-x-echo-b-bin: <3 bytes>*'
    }

    It 'reports every message of a stream' {
        $verbose = Get-Verbose { Invoke-RpcPluginMethod $session testplugin.Echo/ServerStream @{ count = 4 } -Verbose }
        $verbose | Where-Object { $_ -like 'testplugin.Echo/ServerStream (ServerStreaming): OK*' } | Should -Match 'sent 1 request \(2 bytes\), received 4 responses \(\d+ bytes\)'
        $verbose = Get-Verbose { 1..3 | ForEach-Object { @{ message = 'x' } } | Invoke-RpcPluginMethod $session testplugin.Echo/Bidi -Verbose }
        $verbose | Where-Object { $_ -like 'testplugin.Echo/Bidi (DuplexStreaming): OK*' } | Should -Match 'sent 3 requests \(9 bytes\), received 3 responses'
    }

    It 'reports a failed call with the status as gRPC names it, before its error' {
        $all = @(Invoke-RpcPluginMethod $session testplugin.Echo/Fail @{ code = 5; message = 'gone' } -Verbose -ErrorAction Continue 4>&1 2>&1)
        $index = [array]::FindIndex($all, [Predicate[object]] { param($r) $r -is [System.Management.Automation.VerboseRecord] -and $r.Message -like 'testplugin.Echo/Fail (Unary): NotFound in *' })
        $index | Should -BeGreaterOrEqual 0
        $all[$index].Message | Should -Match 'received 0 responses \(0 bytes\)\.$'
        $errorIndex = [array]::FindIndex($all, [Predicate[object]] { param($r) $r -is [System.Management.Automation.ErrorRecord] })
        $errorIndex | Should -BeGreaterThan $index
    }

    It 'writes no report without -Verbose' {
        Get-Verbose { Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'quiet' } } | Should -BeNullOrEmpty
    }

    It 'honours $VerbosePreference' {
        $VerbosePreference = 'Continue'
        try {
            (Get-Verbose { Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'pref' } }) -join "`n" | Should -Match 'Unary\): OK in'
        } finally { $VerbosePreference = 'SilentlyContinue' }
    }
}

Describe 'Invoke-RpcPluginMethod -Debug' {
    It 'shows the request and the response as proto3 JSON' {
        $debug = Get-Debug { Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'json'; delay_ms = 1 } -Debug }
        $debug | Should -Contain 'testplugin.Echo/Unary request: {"message":"json","delayMs":1}'
        $debug | Should -Contain "testplugin.Echo/Unary response: {`"message`":`"json`",`"pid`":$($session.ProcessId)}"
    }

    It 'shows each message of a stream, with -Raw too' {
        $debug = Get-Debug { Invoke-RpcPluginMethod $session testplugin.Echo/ServerStream @{ count = 2; message = 's' } -Raw -Debug }
        @($debug | Where-Object { $_ -like '*response: *' }).Count | Should -Be 2
        $debug | Where-Object { $_ -like '*response: *' } | Select-Object -Last 1 | Should -BeLike '*"message":"s","index":1,*'
    }

    It 'shows a client stream''s requests one by one' {
        $debug = Get-Debug { 'a', 'b' | ForEach-Object { @{ message = $_ } } | Invoke-RpcPluginMethod $session testplugin.Echo/ClientStream -Debug }
        @($debug | Where-Object { $_ -like '*request: *' }) | Should -Be @('testplugin.Echo/ClientStream request: {"message":"a"}', 'testplugin.Echo/ClientStream request: {"message":"b"}')
        $debug | Should -Contain 'testplugin.Echo/ClientStream response: {"count":2,"messages":["a","b"]}'
    }
}
