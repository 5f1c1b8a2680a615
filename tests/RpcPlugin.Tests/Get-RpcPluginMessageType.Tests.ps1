BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # With the .proto file, so that descriptions (comments) are there too.
    $protos = $env:RPCPLUGIN_TEST_PROTOS ?? (Join-Path $repoRoot 'protos')
    $session = Start-TestPlugin -Parameters @{ Name = 'types'; ProtoFile = (Join-Path $protos 'test/testplugin.proto'); ImportPath = $protos }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
    Wait-ProcessGone $session.ProcessId | Should -BeTrue
}

Describe 'Get-RpcPluginMessageType' {
    It 'lists the plugin''s own messages and enums, without map entries or well-known types' {
        $types = Get-RpcPluginMessageType
        $types.Name | Should -Contain 'testplugin.EchoRequest'
        $types.Name | Should -Contain 'testplugin.Color'
        $types.Name | Should -Not -Contain 'google.protobuf.Timestamp'
        $types.Name | Where-Object { $_ -like '*Entry' } | Should -BeNullOrEmpty
        $types | ForEach-Object { $_ | Should -BeOfType ([RpcPlugin.RpcMessageTypeInfo]) }
        ($types | Where-Object Name -EQ 'testplugin.Color').Kind | Should -Be 'Enum'
    }

    It 'describes fields with JSON names, numbers, types as .proto writes them, labels, oneofs and comments' {
        $type = Get-RpcPluginMessageType testplugin.AllTypes -Session $session
        $type.Kind | Should -Be 'Message'
        $type.Description | Should -Be 'One field of every kind protobuf has.'
        $field = @{}; foreach ($f in $type.Fields) { $field[$f.Name] = $f }
        $field.f_int32.Type | Should -Be 'int32'
        $field.f_int32.Number | Should -Be 1
        $field.f_int32.Description | Should -Be 'Scalars.'
        $field.f_nested.Type | Should -Be 'testplugin.Nested'
        $field.m_int64.Type | Should -Be 'map<string, int64>'
        $field.m_nested.Type | Should -Be 'map<int32, testplugin.Nested>'
        $field.m_int64.Repeated | Should -BeFalse
        $field.r_enum.Type | Should -Be 'testplugin.Color'
        $field.r_enum.Repeated | Should -BeTrue
        $field.o_nested.Oneof | Should -Be 'choice'
        $field.opt_int32.Optional | Should -BeTrue
        $field.opt_int32.Oneof | Should -BeNullOrEmpty
        $field.w_timestamp.Type | Should -Be 'google.protobuf.Timestamp'
        $field.f_sfixed64.JsonName | Should -Be 'fSfixed64'
    }

    It 'describes enum values with their numbers' {
        $color = Get-RpcPluginMessageType Color
        @($color.Values | ForEach-Object { "$($_.Name)=$($_.Number)" }) | Should -Be @('COLOR_UNSPECIFIED=0', 'RED=1', 'GREEN=2', 'BLUE=3')
        $color.Fields | Should -BeNullOrEmpty
    }

    It 'matches wildcards against the full name and the name without its package' {
        @(Get-RpcPluginMessageType *Request).Name | Should -Be @('testplugin.EchoRequest', 'testplugin.FailRequest', 'testplugin.LogRequest', 'testplugin.PrintRequest', 'testplugin.SleepRequest', 'testplugin.StreamRequest')
        @(Get-RpcPluginMessageType testplugin.Echo*).Name | Should -Be @('testplugin.EchoReply', 'testplugin.EchoRequest')
        (Get-RpcPluginMessageType echorequest).Name | Should -Be 'testplugin.EchoRequest'
    }

    It 'finds a plumbing or well-known type named exactly, and lists them with -IncludeInternal' {
        (Get-RpcPluginMessageType google.protobuf.Duration).Fields.Name | Should -Be @('seconds', 'nanos')
        @(Get-RpcPluginMessageType google.protobuf.* -IncludeInternal).Name | Should -Contain 'google.protobuf.Timestamp'
        @(Get-RpcPluginMessageType google.protobuf.*) | Should -BeNullOrEmpty
    }

    It 'says so when a name without wildcards matches no type' {
        $out = Get-RpcPluginMessageType NoSuchType -ErrorVariable failures -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.MethodNotFound,*'
        $failures[0].Exception.Message | Should -BeLike "*no message or enum type named 'NoSuchType'*"
        { Get-RpcPluginMessageType No*Such } | Should -Not -Throw
    }

    It 'shows a type in Format-List as its .proto declaration reads, comments included' {
        $text = (Get-RpcPluginMessageType EchoRequest | Format-List | Out-String -Width 120) -replace '\r', ''
        $text | Should -Match 'Name\s+: testplugin\.EchoRequest'
        $text | Should -Match 'File\s+: test/testplugin\.proto'
        $text | Should -Match '(?m)Definition\s+: message EchoRequest \{\n\s+string message = 1;\n\s+// Milliseconds to wait before replying\.\n\s+int32 delay_ms = 2;\n\s+\}'
        $all = (Get-RpcPluginMessageType AllTypes).Definition -replace '\r', ''
        $all | Should -Match '(?m)^  oneof choice \{\n    string o_string = 40;\n    int32 o_int32 = 41;\n    testplugin\.Nested o_nested = 42;\n  \}$'
        $all | Should -Match '(?m)^  optional int32 opt_int32 = 45;$'
        $all | Should -Match '(?m)^  repeated int32 r_int32 = 20;$'
        $all | Should -Match '(?m)^  map<bool, string> m_bool = 33;$'
    }

    It 'takes the session from the pipeline and by name' {
        ($session | Get-RpcPluginMessageType Nested).Name | Should -Be 'testplugin.Nested'
        (Get-RpcPluginMessageType Nested -SessionName types).SessionName | Should -Be 'types'
        (Get-RpcPluginMessageType Nested).Session.Id | Should -Be $session.Id
    }
}
