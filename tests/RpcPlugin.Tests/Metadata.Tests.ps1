BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $session = Start-TestPlugin -Parameters @{ Name = 'metadata' }

    function Get-MetadataError([hashtable] $Metadata) {
        # The error a call with this metadata gives: like any bad argument, it ends the command before a call starts.
        { Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'm' } -Metadata $Metadata } | Should -Throw -PassThru
    }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
    Test-ProcessGone $session.ProcessId | Should -BeTrue
}

Describe 'Invoke-RpcPluginMethod -Metadata: values gRPC cannot carry are refused before any call starts' {
    It 'refuses <Case> with RpcPlugin.InvalidArgument' -ForEach @(
        @{ Case = 'a line feed in a text value'; Metadata = @{ 'x-echo-a' = "one`ntwo" }; Expected = '*line feed*position 4*printable ASCII*' }
        @{ Case = 'a carriage return in a text value'; Metadata = @{ 'x-echo-a' = "one`r" }; Expected = '*carriage return*' }
        @{ Case = 'a non-ASCII text value'; Metadata = @{ 'x-echo-a' = 'héllo' }; Expected = "*U+00E9*'-bin'*" }
        @{ Case = 'a key with a space'; Metadata = @{ 'x echo' = 'v' }; Expected = "*key contains ' '*" }
        @{ Case = 'a key with a colon (a pseudo-header)'; Metadata = @{ ':authority' = 'v' }; Expected = "*key contains ':'*" }
        @{ Case = 'an empty key'; Metadata = @{ '' = 'v' }; Expected = '*key is empty*' }
        @{ Case = 'a grpc- key'; Metadata = @{ 'grpc-timeout' = '1S' }; Expected = '*reserved*' }
        @{ Case = 'an HTTP/2 connection header'; Metadata = @{ 'connection' = 'close' }; Expected = '*reserved*' }
        @{ Case = 'a null value'; Metadata = @{ 'x-echo-a' = $null }; Expected = '*null*' }
        @{ Case = 'a hashtable value'; Metadata = @{ 'x-echo-a' = @{ nested = 1 } }; Expected = '*takes a string or a number*' }
        @{ Case = 'a PSCustomObject value'; Metadata = @{ 'x-echo-a' = [pscustomobject]@{ a = 1 } }; Expected = '*takes a string or a number*' }
        @{ Case = 'bytes under a text key'; Metadata = @{ 'x-echo-a' = [byte[]](1, 2) }; Expected = "*'-bin'*" }
        @{ Case = 'numbers under a -bin key'; Metadata = @{ 'x-echo-b-bin' = 1, 2, 3 }; Expected = '*takes byte*base64 text, not Int32*' }
        @{ Case = 'text that is not base64 under a -bin key'; Metadata = @{ 'x-echo-b-bin' = 'not base64!' }; Expected = '*not base64*' }
    ) {
        $err = Get-MetadataError $Metadata
        $err.FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidArgument,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike $Expected
        $err.Exception.Message | Should -BeLike '*Nothing was sent*'
    }

    It 'leaves other calls on the same session running (a bad value never reaches the connection)' {
        $module = $env:RPCPLUGIN_MODULE
        $sleeper = Start-ThreadJob {
            Import-Module $using:module
            Invoke-RpcPluginMethod $using:session testplugin.Echo/Sleep @{ milliseconds = 3000 } -ErrorAction Stop
            'slept'
        }
        $stream = Start-ThreadJob {
            Import-Module $using:module
            @(Invoke-RpcPluginMethod $using:session testplugin.Echo/ServerStream @{ count = 30; interval_ms = 100 } -ErrorAction Stop).Count
        }
        # The plugin logs 'sleeping' once the sleeper's call is under way.
        Wait-Until { @(Get-RpcPluginLog $session | Where-Object Message -EQ 'sleeping').Count -ge 1 } -Seconds 60 | Should -BeTrue
        foreach ($bad in "a`r`nInjected: yes", "x`n", "`r") {
            { Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'm' } -Metadata @{ 'x-echo-a' = $bad } } |
                Should -Throw -ErrorId 'RpcPlugin.InvalidArgument,*'
        }

        $sleeper | Wait-Job -Timeout 30 | Receive-Job | Should -Be 'slept'
        $stream | Wait-Job -Timeout 30 | Receive-Job | Should -Be 30
        $sleeper, $stream | Remove-Job -Force
        (Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'after' }).message | Should -Be 'after'
    }
}

Describe 'Invoke-RpcPluginMethod -Metadata: what is sent' {
    It 'sends each element of an array as its own value of the key' {
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'm' } -Metadata @{ 'x-echo-a' = 'one', 'two' } -ResponseHeadersVariable headers
        # HTTP/2 carries repeated text values joined with ", " (the plugin echoes what arrived).
        $headers['x-echo-a'] | Should -Be 'one, two'
    }

    It 'sends each byte[] of an array under a -bin key' {
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'm' } -Metadata @{ 'x-echo-b-bin' = @([byte[]](1, 2), [byte[]](3)) } -ResponseHeadersVariable headers
        $headers['x-echo-b-bin'].Count | Should -Be 2
        $headers['x-echo-b-bin'][0] -join ',' | Should -Be '1,2'
        $headers['x-echo-b-bin'][1] -join ',' | Should -Be '3'
    }

    It 'sends a [datetime] as RFC 3339 in UTC, by the rule for .NET dates (Unspecified is UTC)' {
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'm' } -Metadata @{ 'x-echo-d' = [datetime]'2024-05-01 10:00' } -ResponseHeadersVariable headers
        $headers['x-echo-d'] | Should -Be '2024-05-01T10:00:00Z'
    }

    It 'takes unpadded and URL-safe base64 under a -bin key, as gRPC sends it' {
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'm' } -Metadata @{ 'x-echo-b-bin' = 'AQID_w' } -ResponseHeadersVariable headers
        $headers['x-echo-b-bin'] -join ',' | Should -Be '1,2,3,255'
    }

    It 'sends numbers as their invariant text and upper-case keys lower-cased' {
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'm' } -Metadata @{ 'X-Echo-N' = 1.5 } -ResponseHeadersVariable headers
        $headers['x-echo-n'] | Should -Be '1.5'
    }
}
