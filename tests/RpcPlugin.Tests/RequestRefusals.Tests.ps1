# What a request may hold, and the clear refusal of what it may not: values that cannot be sent, well-known values a
# plugin would read otherwise, numbers that would lose digits, bytes and base64 forms, request text that is not JSON.
# The mapping of values that can be sent is in TypeMapping.Tests.ps1.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $session = Start-TestPlugin -Parameters @{ Name = 'refusals' }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
    Test-ProcessGone $session.ProcessId | Should -BeTrue
}

Describe 'Type mapping: clear errors for values that cannot be sent' {
    It 'refuses a lone surrogate in <Case>, naming the field' -ForEach @(
        @{ Case = 'a string field'; Request = @{ f_string = "a$([char]0xD800)b" }; Path = 'f_string' }
        @{ Case = 'a repeated string'; Request = @{ r_string = 'ok', "$([char]0xDC00)" }; Path = 'r_string`[1`]' }
        @{ Case = 'a map value'; Request = @{ m_string = @{ k = "$([char]0xD83D)" } }; Path = 'm_string`[k`]' }
        @{ Case = 'a Struct value'; Request = @{ w_struct = @{ k = "x$([char]0xD83D)" } }; Path = 'w_struct*' }
    ) {
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $Request -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -PassThru
        $err.Exception.Message | Should -BeLike "*'$Path'*surrogate*"
    }

    It 'still sends a correct surrogate pair' {
        (Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ f_string = "emoji $([char]0xD83D)$([char]0xDE00)" }).f_string |
            Should -Be "emoji $([char]0xD83D)$([char]0xDE00)"
    }

    It 'says what a bytes field accepts when given <Case>' -ForEach @(
        @{ Case = 'text that is not base64'; Value = 'not base64!' }
        @{ Case = 'a hashtable'; Value = @{ a = 1 } }
        @{ Case = 'a number'; Value = 5 }
    ) {
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ f_bytes = $Value } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -PassThru
        $err.Exception.Message | Should -BeLike "*'f_bytes'*byte``[``]*base64*numbers 0-255*"
    }

    It 'names the element of a byte array that is out of range' {
        { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ f_bytes = 1, 2, 300 } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -ExpectedMessage "*'f_bytes``[2``]'*300*0 to 255*"
    }

    It 'quotes a long wrong value briefly' {
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ f_bytes = ('!' * 100000) } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -PassThru
        $err.Exception.Message.Length | Should -BeLessThan 1000
        $err.Exception.Message | Should -BeLike '*100000 characters*'
    }
}

Describe 'Type mapping: well-known values the plugin would read otherwise are refused' {
    It 'refuses a <Case> given as its fields, naming the field' -ForEach @(
        @{ Case = 'Timestamp past year 9999'; Request = @{ w_timestamp = @{ seconds = [long]::MaxValue } }; Path = 'w_timestamp'; Reason = '*seconds must be*' }
        @{ Case = 'Timestamp with 2 s of nanos'; Request = @{ w_timestamp = @{ seconds = 1; nanos = 2000000000 } }; Path = 'w_timestamp'; Reason = '*nanos must be 0 to 999999999*' }
        @{ Case = 'Duration whose nanos have another sign'; Request = @{ w_duration = @{ seconds = 1; nanos = -5 } }; Path = 'w_duration'; Reason = '*sign of its seconds*' }
        @{ Case = 'Timestamp packed in an Any'; Request = @{ w_any = @{ '@type' = 'google.protobuf.Timestamp'; value = @{ nanos = -1 } } }; Path = 'w_any.@type=google.protobuf.Timestamp'; Reason = '*nanos must be*' }
        @{ Case = 'Duration in a message packed in an Any'; Request = @{ w_any = @{ '@type' = 'testplugin.AllTypes'; w_duration = @{ seconds = -1; nanos = 5 } } }; Path = 'w_any.@type=testplugin.AllTypes.w_duration'; Reason = '*sign of its seconds*' }
    ) {
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $Request -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -PassThru
        $err.Exception.Message | Should -BeLike "*'$Path'*"
        $err.Exception.Message | Should -BeLike $Reason
    }

    It 'refuses a time without a date instead of sending today''s date' {
        { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ w_timestamp = '12:30' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -ExpectedMessage "*'w_timestamp'*with a date*"
        Get-JsonField (Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ w_timestamp = 'May 1, 2024 12:30' } -AsJson) wTimestamp |
            Should -Be '2024-05-01T12:30:00Z'
    }

    It 'reads a FieldMask string as its JSON text, as the same JSON does' {
        $fromHashtable = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ w_any = @{ '@type' = 'google.protobuf.FieldMask'; value = 'fooBar.baz,qux' } }
        $fromJson = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll '{"wAny":{"@type":"type.googleapis.com/google.protobuf.FieldMask","value":"fooBar.baz,qux"}}'
        $fromArray = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ w_any = @{ '@type' = 'google.protobuf.FieldMask'; value = @('foo_bar.baz', 'qux') } }

        $fromHashtable.w_any.value | Should -Be @('foo_bar.baz', 'qux')
        $fromJson.w_any.value | Should -Be @('foo_bar.baz', 'qux')
        $fromArray.w_any.value | Should -Be @('foo_bar.baz', 'qux')
    }

    It 'refuses a FieldMask <Case>' -ForEach @(
        @{ Case = 'array with $null and an empty path'; Request = @{ w_any = @{ '@type' = 'google.protobuf.FieldMask'; value = @('a', $null, '') } }; Message = "*'w_any.@type=google.protobuf.FieldMask``[1``]'*" }
        @{ Case = 'path with an upper-case letter in an array'; Request = @{ w_any = @{ '@type' = 'google.protobuf.FieldMask'; value = @('fooBar') } }; Message = '*upper-case*' }
        @{ Case = 'string with an empty path'; Request = @{ w_any = @{ '@type' = 'google.protobuf.FieldMask'; value = 'a,,b' } }; Message = '*empty path*' }
        @{ Case = 'JSON with an empty path'; Request = '{"wAny":{"@type":"type.googleapis.com/google.protobuf.FieldMask","value":"a,,b"}}'; Message = '*empty path*' }
    ) {
        { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $Request -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -ExpectedMessage $Message
    }

    It 'refuses <Case> in a Value, which struct.proto makes an error' -ForEach @(
        @{ Case = 'NaN'; Request = @{ w_value = [double]::NaN }; Path = 'w_value' }
        @{ Case = 'Infinity in a Struct'; Request = @{ w_struct = @{ x = [double]::PositiveInfinity } }; Path = 'w_struct`[x`]' }
        @{ Case = '-Infinity in a list'; Request = @{ w_list_value = @([single]::NegativeInfinity) }; Path = 'w_list_value`[0`]' }
    ) {
        { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $Request -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -ExpectedMessage "*'$Path'*NaN and Infinity*"
    }

    It 'sends a [<Type>] in a Struct as a number' -ForEach @(
        @{ Type = 'bigint'; Value = [bigint]5; Expected = '5' }
        @{ Type = 'decimal'; Value = [decimal]1.5; Expected = '1.5' }
        @{ Type = 'uint64'; Value = [uint64]7; Expected = '7' }
        @{ Type = 'Int128'; Value = [Int128]9; Expected = '9' }
        @{ Type = 'long'; Value = [long]9007199254740992; Expected = '9007199254740992' }
    ) {
        $json = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ w_struct = @{ a = $Value } } -AsJson

        $json | Should -BeLike "*""wStruct"":{""a"":$Expected}*"
        (Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ w_struct = @{ a = $Value } }).w_struct.a | Should -BeOfType [double]
    }

    It 'refuses a <Case> a double cannot hold exactly, suggesting a string' -ForEach @(
        @{ Case = '[long]'; Request = @{ w_struct = @{ id = [long]9007199254740993 } }; Path = 'w_struct`[id`]' }
        @{ Case = '[uint64]'; Request = @{ w_value = [uint64]::MaxValue }; Path = 'w_value' }
        @{ Case = '[bigint]'; Request = @{ w_list_value = @([bigint]::Pow(10, 400)) }; Path = 'w_list_value`[0`]' }
        @{ Case = 'JSON integer'; Request = '{"wStruct":{"id":9007199254740993}}'; Path = '*' }
    ) {
        { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $Request -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -ExpectedMessage "*$Path*as a string*"
    }
}

Describe 'Type mapping: numbers are sent exactly or refused, in a hashtable and in JSON alike' {
    It 'refuses <Case> for <Field> instead of sending Infinity' -ForEach @(
        @{ Case = "'1e400'"; Field = 'f_double'; Value = '1e400'; Json = '"1e400"' }
        @{ Case = "'1e400'"; Field = 'f_float'; Value = '1e400'; Json = '"1e400"' }
        @{ Case = '[bigint]::Pow(10,400)'; Field = 'f_double'; Value = [bigint]::Pow(10, 400); Json = ('1' + '0' * 400) }
        @{ Case = "'3.5e38'"; Field = 'f_float'; Value = '3.5e38'; Json = '3.5e38' }
    ) {
        $jsonName = if ($Field -eq 'f_double') { 'fDouble' } else { 'fFloat' }
        $type = $Field.Substring(2)
        { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ $Field = $Value } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -ExpectedMessage "*'$Field'*out of range for $type*"
        { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll ('{"' + $jsonName + '":' + $Json + '}') -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -ExpectedMessage "*'$jsonName'*out of range for $type*"
    }

    It 'still sends Infinity, -Infinity and NaN given by name' {
        $reply = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ f_double = 'Infinity'; f_float = '-Infinity'; r_double = 'NaN' }

        $reply.f_double | Should -Be ([double]::PositiveInfinity)
        $reply.f_float | Should -Be ([float]::NegativeInfinity)
        [double]::IsNaN($reply.r_double[0]) | Should -BeTrue
    }

    It 'sends <Json> for <Field> exactly, and the same text from a hashtable' -ForEach @(
        @{ Field = 'f_int64'; Json = '"9007199254740993.0"'; Sent = '9007199254740993' }
        @{ Field = 'f_int64'; Json = '9007199254740993'; Sent = '9007199254740993' }
        @{ Field = 'f_int64'; Json = '9007199254740993.0'; Sent = '9007199254740993' }
        @{ Field = 'f_uint64'; Json = '"18446744073709551615.0"'; Sent = '18446744073709551615' }
        @{ Field = 'f_int32'; Json = '1e2'; Sent = '100' }
        @{ Field = 'f_int32'; Json = '"1e2"'; Sent = '100' }
    ) {
        $jsonName = @{ f_int64 = 'fInt64'; f_uint64 = 'fUint64'; f_int32 = 'fInt32' }[$Field]
        $fromJson = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll ('{"' + $jsonName + '":' + $Json + '}')
        $fromHashtable = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ $Field = $Json.Trim('"') }

        "$($fromJson.$Field)" | Should -Be $Sent
        "$($fromHashtable.$Field)" | Should -Be $Sent
    }

    It 'refuses a fraction for an integer field: <Case>' -ForEach @(
        @{ Case = 'JSON text "2.00000000000000001"'; Request = '{"fInt32":"2.00000000000000001"}'; Path = 'fInt32' }
        @{ Case = 'JSON number 2.00000000000000001'; Request = '{"fInt32":2.00000000000000001}'; Path = 'fInt32' }
        @{ Case = "text '2.00000000000000001'"; Request = @{ f_int32 = '2.00000000000000001' }; Path = 'f_int32' }
        @{ Case = '[double] 2.5'; Request = @{ f_int32 = [double]2.5 }; Path = 'f_int32' }
        @{ Case = '[decimal] 2.5'; Request = @{ f_int64 = [decimal]2.5 }; Path = 'f_int64' }
    ) {
        { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $Request -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -ExpectedMessage "*'$Path'*whole number*"
    }
}

Describe 'Type mapping: bytes from the pipeline and base64 with whitespace' {
    BeforeAll {
        $bytesFile = Join-Path ([IO.Path]::GetTempPath()) "rpcplugin-bytes-$([guid]::NewGuid().ToString('N')).bin"
        [IO.File]::WriteAllBytes($bytesFile, [byte[]](65, 66, 67))
    }

    AfterAll { Remove-Item -LiteralPath $bytesFile -ErrorAction SilentlyContinue }

    It 'sends bytes read with Get-Content -AsByteStream' {
        (Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ f_bytes = (Get-Content -AsByteStream -LiteralPath $bytesFile) }).f_bytes |
            Should -Be ([byte[]](65, 66, 67))
    }

    It 'sends pipeline output as <Field>' -ForEach @(
        @{ Field = 'f_bytes'; Request = @{ f_bytes = (65, 66 | ForEach-Object { $_ }) }; Expected = [byte[]](65, 66) }
        @{ Field = 'w_bytes'; Request = @{ w_bytes = (65, 66 | ForEach-Object { $_ }) }; Expected = [byte[]](65, 66) }
        @{ Field = 'r_bytes'; Request = @{ r_bytes = , (67, 68 | ForEach-Object { $_ }) }; Expected = [byte[]](67, 68) }
    ) {
        $reply = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $Request
        $sent = if ($Field -eq 'r_bytes') { $reply.r_bytes[0] } else { $reply.$Field }

        $sent | Should -Be $Expected
    }

    It 'sends pipeline output as repeated fields and map values of every scalar kind' {
        $reply = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{
            r_int32 = (1, 2 | ForEach-Object { $_ }); r_double = (1.5, 2 | ForEach-Object { $_ }); r_string = ('a', 'b' | ForEach-Object { $_ })
            r_enum = ('RED', 3 | ForEach-Object { $_ }); m_int64 = @{ a = (5 | ForEach-Object { $_ }) }
        }

        $reply.r_int32 | Should -Be 1, 2
        $reply.r_double | Should -Be 1.5, 2
        $reply.r_string | Should -Be 'a', 'b'
        $reply.r_enum | Should -Be 'RED', 'BLUE'
        $reply.m_int64['a'] | Should -Be 5
    }

    It 'reads base64 with <Case> the same from a hashtable and from JSON' -ForEach @(
        @{ Case = 'a space'; Text = 'QUJD RA=='; Expected = [byte[]](65, 66, 67, 68) }
        @{ Case = 'MIME line breaks'; Text = [Convert]::ToBase64String([byte[]](1..100), 'InsertLineBreaks'); Expected = [byte[]](1..100) }
        @{ Case = 'URL-safe, unpadded, broken into lines'; Text = "-_-_`nAQ"; Expected = [byte[]](0xFB, 0xFF, 0xBF, 0x01) }
    ) {
        $fromHashtable = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ f_bytes = $Text }
        $fromJson = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll (@{ fBytes = $Text } | ConvertTo-Json -Compress)

        $fromHashtable.f_bytes | Should -Be $Expected
        $fromJson.f_bytes | Should -Be $Expected
    }
}

Describe 'Type mapping: request text that is empty or not JSON' {
    It 'says a request of <Case> is empty and what a request looks like' -ForEach @(
        @{ Case = 'no text'; Text = '' }
        @{ Case = 'only whitespace'; Text = " `n`t" }
    ) {
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll -Request $Text -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -PassThru
        $err.Exception.Message | Should -BeLike '*empty*{"fInt32":*@{ f_int32 =*'
        $err.Exception.Message | Should -Not -BeLike '*isFinalBlock*'
        $err.Exception.Message | Should -Not -BeLike '*BytePositionInLine*'
    }

    It 'names the line and character of malformed JSON, without the JSON reader''s terms' {
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll -Request "{`n  `"fString`": `"é`" x }" -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -PassThru
        $err.Exception.Message | Should -BeLike '*not valid JSON*line 2, character 18*'
        $err.Exception.Message | Should -Not -BeLike '*LineNumber*'
        $err.Exception.Message | Should -Not -BeLike '*BytePositionInLine*'
    }
}
