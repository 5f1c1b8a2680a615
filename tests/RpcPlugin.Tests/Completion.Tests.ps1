BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $session = Start-TestPlugin -Parameters @{ Name = 'complete' }
    # Completion evaluates variables in the global scope, where an interactive user's $s lives.
    $global:completionSession = $session

    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
}

AfterAll {
    Remove-Variable completionSession -Scope Global -ErrorAction SilentlyContinue
    Get-RpcPlugin | Stop-RpcPlugin
    Wait-ProcessGone $session.ProcessId | Should -BeTrue
}

Describe 'Tab completion' {
    It 'completes New-RpcPluginMessage -TypeName with message types only, by full name or without the package' {
        @(Get-Completion 'New-RpcPluginMessage -TypeName Echo').CompletionText | Should -Be @('testplugin.EchoReply', 'testplugin.EchoRequest')
        @(Get-Completion 'New-RpcPluginMessage -TypeName testplugin.Str').CompletionText | Should -Be @('testplugin.StreamRequest', 'testplugin.StreamSummary')
        @(Get-Completion 'New-RpcPluginMessage -TypeName Colo').CompletionText | Should -BeNullOrEmpty -Because 'an enum is not a message'
    }

    It 'completes Get-RpcPluginMessageType -Name with messages and enums, positionally too' {
        @(Get-Completion 'Get-RpcPluginMessageType Col').CompletionText | Should -Be @('testplugin.Color')
        @(Get-Completion 'Get-RpcPluginMessageType -Name Ch').CompletionText | Should -Be @('testplugin.Channel')
        (Get-Completion 'Get-RpcPluginMessageType Col')[0].ToolTip | Should -Be 'enum testplugin.Color'
    }

    It 'offers well-known types only once the user types into their package' {
        @(Get-Completion 'Get-RpcPluginMessageType Times').CompletionText | Should -BeNullOrEmpty
        @(Get-Completion 'Get-RpcPluginMessageType google.protobuf.Times').CompletionText | Should -Be @('google.protobuf.Timestamp')
    }

    It 'uses the session named on the command line' {
        @(Get-Completion 'New-RpcPluginMessage -Session $completionSession -TypeName Nest').CompletionText | Should -Be @('testplugin.Nested')
        @(Get-Completion 'Get-RpcPluginMessageType -SessionName nothing-like-this Nest').CompletionText | Should -BeNullOrEmpty
    }

    It 'completes Test-RpcPlugin -Service with plugin, the whole server and the plugin''s services' {
        @(Get-Completion 'Test-RpcPlugin -Service ').CompletionText | Should -Be @('plugin', "''", 'testplugin.Echo', 'testplugin.Mirror')
        @(Get-Completion 'Test-RpcPlugin -Service pl').CompletionText | Should -Be @('plugin')
        @(Get-Completion 'Test-RpcPlugin $completionSession -Service testplugin.M').CompletionText | Should -Be @('testplugin.Mirror')
    }

    It 'completes -Request with the request skeleton of the method on the command line' {
        @(Get-Completion 'Invoke-RpcPluginMethod testplugin.Echo/Unary ').CompletionText | Should -Be @("@{ message = ''; delay_ms = 0 }")
        @(Get-Completion 'Invoke-RpcPluginMethod $completionSession testplugin.Echo/Unary -Request ').CompletionText | Should -Be @("@{ message = ''; delay_ms = 0 }")
        @(Get-Completion 'Invoke-RpcPluginMethod -Session $completionSession Echo/Sleep ').CompletionText | Should -Be @('@{ milliseconds = 0 }')
        $stream = (Get-Completion 'Invoke-RpcPluginMethod testplugin.Echo/ServerStream -Request ')[0]
        $stream.CompletionText | Should -Be "@{ count = 0; interval_ms = 0; payload_size = 0; message = '' }"
        $stream.ToolTip | Should -BeLike "testplugin.StreamRequest*int32 count = 1;*"
    }

    It 'completes a skeleton that PowerShell parses back into a request the method takes' {
        $text = (Get-Completion 'Invoke-RpcPluginMethod testplugin.Echo/EchoAll ')[0].CompletionText
        $request = Invoke-Expression $text
        $request.f_nested.name | Should -Be ''
        $request.f_enum | Should -Be 'COLOR_UNSPECIFIED'
        (Invoke-RpcPluginMethod testplugin.Echo/EchoAll $request).f_enum | Should -Be 'COLOR_UNSPECIFIED'
    }

    It 'still completes the method when the session is the first word' {
        @(Get-Completion 'Invoke-RpcPluginMethod $completionSession testplugin.Echo/Se').CompletionText | Should -Be @('testplugin.Echo/ServerStream')
    }

    It 'cannot complete keys inside a hashtable literal: PowerShell never asks the command (about_RpcPlugin, DISCOVERY AND COMPLETION)' {
        # PowerShell completes the keys of a hashtable argument itself, from the parameter's .NET type (-Request is
        # [object]); if a later PowerShell asks argument completers, this fails and the help should change.
        $keys = @(Get-Completion 'Invoke-RpcPluginMethod testplugin.Echo/Unary @{ ').CompletionText
        $keys | Should -Not -Contain 'message'
        $keys | Should -Not -Contain 'delay_ms'
    }
}
