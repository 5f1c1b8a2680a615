BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $session = Start-TestPlugin -Parameters @{ Name = 'rich' }

    function Get-RichError([string[]] $Details, [int] $Code = 3) {
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/Fail @{ code = $Code; message = 'it failed'; rich_details = $Details } -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0]
    }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
    Wait-ProcessGone $session.ProcessId | Should -BeTrue
}

Describe 'Rich error details (grpc-status-details-bin)' {
    It 'are decoded into the exception''s Details, one object per detail, typed like responses' {
        $failure = Get-RichError 'ErrorInfo', 'BadRequest', 'RetryInfo', 'DebugInfo', 'QuotaFailure'
        $failure.FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.Rpc.InvalidArgument,*'
        $failure.Exception | Should -BeOfType ([RpcPlugin.RpcCallException])
        $details = $failure.Exception.Details
        @($details).Count | Should -Be 5
        @($details | ForEach-Object { $_.PSObject.TypeNames[0] }) | Should -Be @(
            'RpcPlugin.Message#google.rpc.ErrorInfo', 'RpcPlugin.Message#google.rpc.BadRequest', 'RpcPlugin.Message#google.rpc.RetryInfo',
            'RpcPlugin.Message#google.rpc.DebugInfo', 'RpcPlugin.Message#google.rpc.QuotaFailure')
        $details[0].reason | Should -Be 'TEST_FAILURE'
        $details[0].domain | Should -Be 'testplugin.example'
        $details[0].metadata['method'] | Should -Be 'Fail'
        $details[1].field_violations[0].field | Should -Be 'message'
        $details[1].field_violations[0].description | Should -Be 'must not be empty'
        $details[2].retry_delay | Should -Be ([timespan]::FromSeconds(1.5))
        $details[3].stack_entries | Should -Be @('EchoService.Fail', 'RichStatus.Exception')
        $details[4].violations[0].subject | Should -Be 'project:test'
    }

    It 'are named in the message, the first ones with their content' {
        $failure = Get-RichError 'BadRequest', 'ErrorInfo', 'DebugInfo'
        $message = $failure.Exception.Message
        $message.StartsWith('The call to testplugin.Echo/Fail failed with status InvalidArgument: it failed. Details: google.rpc.BadRequest {"fieldViolations":[{"field":"message","description":"must not be empty"}]}; google.rpc.ErrorInfo {') | Should -BeTrue -Because $message
        $message | Should -Match '"reason":"TEST_FAILURE"'
        $message | Should -Match '; and 1 more\.$'
        $failure.Exception.StatusDetail | Should -Be 'it failed'
    }

    It 'turn a RetryInfo into the recommended action' {
        (Get-RichError 'RetryInfo' -Code 14).ErrorDetails.RecommendedAction | Should -Be 'The plugin asks to retry after 1.5 s.'
    }

    It 'decode every standard detail type' {
        $details = (Get-RichError 'PreconditionFailure', 'ResourceInfo', 'RequestInfo', 'Help', 'LocalizedMessage').Exception.Details
        $details[0].violations[0].type | Should -Be 'TOS'
        $details[1].resource_name | Should -Be 'item-1'
        $details[2].request_id | Should -Be 'req-1'
        $details[3].links[0].url | Should -Be 'https://example.invalid/help'
        $details[4].message | Should -Be 'The test failed on purpose.'
    }

    It 'decode the plugin''s own detail types with its descriptors, and keep unknown ones as @type and bytes' {
        $details = (Get-RichError 'Nested', 'Unknown').Exception.Details
        $details[0].PSObject.TypeNames[0] | Should -Be 'RpcPlugin.Message#testplugin.Nested'
        $details[0].name | Should -Be 'custom detail'
        $details[0].value | Should -Be 7
        $details[1].'@type' | Should -Be 'type.googleapis.com/testplugin.NotDescribed'
        $details[1].value | Should -Be ([byte[]](8, 1))
    }

    It 'can be caught as RpcPlugin.RpcCallException with -ErrorAction Stop' {
        $caught = try {
            Invoke-RpcPluginMethod $session testplugin.Echo/Fail @{ code = 8; message = 'quota'; rich_details = 'QuotaFailure' } -ErrorAction Stop
        } catch [RpcPlugin.RpcCallException] { $_ }
        $caught.Exception.StatusCode | Should -Be ([RpcPlugin.RpcStatusCode]::ResourceExhausted)
        $caught.Exception.Details[0].violations[0].description | Should -Be 'daily limit of 10 calls reached'
        $caught.Exception.Trailers['grpc-status-details-bin'] | Should -BeOfType ([byte])
    }

    It 'leave a plain status as it was' {
        $null = Invoke-RpcPluginMethod $session testplugin.Echo/Fail @{ code = 5; message = 'plain' } -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].Exception.Details | Should -BeNullOrEmpty
        $failures[0].Exception.Message | Should -Be 'The call to testplugin.Echo/Fail failed with status NotFound: plain'
    }
}
