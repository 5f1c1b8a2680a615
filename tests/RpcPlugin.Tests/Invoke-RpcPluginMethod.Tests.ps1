BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $session = Start-TestPlugin -Parameters @{ Name = 'echo' }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
    Test-ProcessGone $session.ProcessId | Should -BeTrue
}

Describe 'Invoke-RpcPluginMethod: the type mapping round-trips through EchoAll' {
    BeforeAll {
        $sent = @{
            f_int32 = [int]::MinValue; f_int64 = [long]::MinValue; f_uint32 = [uint32]::MaxValue; f_uint64 = [uint64]::MaxValue
            f_sint32 = -5; f_sint64 = [long]::MaxValue; f_fixed32 = [uint32]7; f_fixed64 = [uint64]8
            f_sfixed32 = -9; f_sfixed64 = -10; f_float = [float]1.5; f_double = [double]::NaN
            f_bool = $true; f_string = 'héllo ✓'; f_bytes = [byte[]](0, 1, 255); f_enum = 'GREEN'
            f_nested = @{ name = 'outer'; value = 1; child = @{ name = 'inner'; value = 2 } }
            r_int32 = 1, 2, 3; r_int32_unpacked = 4, 5; r_string = 'a', 'b'; r_bytes = , [byte[]](9, 8)
            r_double = 1.25, [double]::PositiveInfinity; r_enum = 'RED', 3; r_nested = @(@{ name = 'n1' }, @{ name = 'n2' })
            m_string = [ordered]@{ x = '1'; y = '2' }; m_nested = @{ 7 = @{ name = 'seven'; child = @{ name = 'deep' } } }
            m_int64 = @{ big = [long]::MaxValue }; m_bool = @{ $true = 'yes' }
            o_nested = @{ name = 'chosen' }
            opt_int32 = 0
            w_timestamp = [DateTimeOffset]::new(2024, 1, 2, 3, 4, 5, [TimeSpan]::Zero).AddTicks(1234567)
            w_duration = [TimeSpan]::FromSeconds(-1.5)
            w_struct = [ordered]@{ a = 1; b = @('x', $true); c = [ordered]@{ d = $null } }
            w_value = 'just text'; w_list_value = @(1, 'two', $false)
            w_any = @{ '@type' = 'type.googleapis.com/testplugin.Nested'; name = 'packed'; value = 42 }
            w_empty = @{}
            w_int32 = 5; w_int64 = [long]::MinValue; w_uint32 = [uint32]6; w_uint64 = [uint64]::MaxValue
            w_float = [float]-0.5; w_double = 2.5; w_bool = $false; w_string = ''; w_bytes = [byte[]]@()
        }
        $got = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $sent
    }

    It 'returns a record named after the message type, fields in proto order' {
        $got.PSObject.TypeNames[0] | Should -Be 'RpcPlugin.Message#testplugin.AllTypes'
        $names = $got.PSObject.Properties.Name
        $names[0..2] | Should -Be @('f_int32', 'f_int64', 'f_uint32')
    }

    It 'keeps <Field> as <Type>' -ForEach @(
        @{ Field = 'f_int32'; Type = [int]; Value = [int]::MinValue }
        @{ Field = 'f_int64'; Type = [long]; Value = [long]::MinValue }
        @{ Field = 'f_uint32'; Type = [uint32]; Value = [uint32]::MaxValue }
        @{ Field = 'f_uint64'; Type = [uint64]; Value = [uint64]::MaxValue }
        @{ Field = 'f_sint32'; Type = [int]; Value = -5 }
        @{ Field = 'f_sint64'; Type = [long]; Value = [long]::MaxValue }
        @{ Field = 'f_fixed32'; Type = [uint32]; Value = 7 }
        @{ Field = 'f_fixed64'; Type = [uint64]; Value = 8 }
        @{ Field = 'f_sfixed32'; Type = [int]; Value = -9 }
        @{ Field = 'f_sfixed64'; Type = [long]; Value = -10 }
        @{ Field = 'f_float'; Type = [float]; Value = 1.5 }
        @{ Field = 'f_bool'; Type = [bool]; Value = $true }
        @{ Field = 'f_string'; Type = [string]; Value = 'héllo ✓' }
        @{ Field = 'f_enum'; Type = [string]; Value = 'GREEN' }
        @{ Field = 'w_timestamp'; Type = [DateTimeOffset]; Value = [DateTimeOffset]::new(2024, 1, 2, 3, 4, 5, [TimeSpan]::Zero).AddTicks(1234567) }
        @{ Field = 'w_duration'; Type = [TimeSpan]; Value = [TimeSpan]::FromSeconds(-1.5) }
        @{ Field = 'w_value'; Type = [string]; Value = 'just text' }
        @{ Field = 'w_int32'; Type = [int]; Value = 5 }
        @{ Field = 'w_int64'; Type = [long]; Value = [long]::MinValue }
        @{ Field = 'w_uint64'; Type = [uint64]; Value = [uint64]::MaxValue }
        @{ Field = 'w_float'; Type = [float]; Value = -0.5 }
        @{ Field = 'w_bool'; Type = [bool]; Value = $false }
        @{ Field = 'w_string'; Type = [string]; Value = '' }
    ) {
        $got.$Field | Should -BeOfType $Type
        $got.$Field | Should -Be $Value
    }

    It 'keeps NaN, infinity, bytes and empty bytes' {
        [double]::IsNaN($got.f_double) | Should -BeTrue
        $got.r_double[1] | Should -Be ([double]::PositiveInfinity)
        $got.f_bytes | Should -Be ([byte[]](0, 1, 255))
        , $got.f_bytes | Should -BeOfType ([byte[]])
        , $got.w_bytes | Should -BeOfType ([byte[]])
        $got.w_bytes.Length | Should -Be 0
    }

    It 'returns repeated fields as arrays and enums by name, numbers accepted' {
        , $got.r_int32 | Should -BeOfType ([int[]])
        $got.r_int32 | Should -Be @(1, 2, 3)
        $got.r_int32_unpacked | Should -Be @(4, 5)
        $got.r_string | Should -Be @('a', 'b')
        $got.r_bytes[0] | Should -Be ([byte[]](9, 8))
        $got.r_enum | Should -Be @('RED', 'BLUE')
        $got.r_nested.name | Should -Be @('n1', 'n2')
    }

    It 'returns nested messages as records and unset scalars at their defaults' {
        $got.f_nested.name | Should -Be 'outer'
        $got.f_nested.child.name | Should -Be 'inner'
        $got.f_nested.child.value | Should -Be 2
        $got.f_nested.child.child | Should -BeNullOrEmpty
        $got.f_nested.PSObject.TypeNames[0] | Should -Be 'RpcPlugin.Message#testplugin.Nested'
    }

    It 'returns maps as ordered hashtables (integer and bool keys: typed maps), including maps of messages' {
        $got.m_string | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
        $got.m_nested | Should -BeOfType ([RpcPlugin.ProtoMap])
        @($got.m_string.Keys) | Should -Be @('x', 'y')
        $got.m_nested[7].name | Should -Be 'seven'
        $got.m_nested[7].child.name | Should -Be 'deep'
        $got.m_int64['big'] | Should -Be ([long]::MaxValue)
        $got.m_bool[$true] | Should -Be 'yes'
    }

    It 'shows the set member of a oneof, and the others as $null' {
        $got.o_nested.name | Should -Be 'chosen'
        $got.PSObject.Properties.Name | Should -Contain 'o_string'
        $got.o_string | Should -BeNullOrEmpty
        $got.o_int32 | Should -BeNullOrEmpty
    }

    It 'keeps the presence of a proto3 optional field set to zero' {
        $got.opt_int32 | Should -Be 0
        $got.opt_int32 | Should -Not -BeNullOrEmpty
        (Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{}).opt_int32 | Should -BeNullOrEmpty
    }

    It 'maps Struct, ListValue and Any to hashtables, arrays and typed records' {
        $got.w_struct | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
        $got.w_struct.a | Should -Be 1.0
        $got.w_struct.b | Should -Be @('x', $true)
        $got.w_struct.c.Contains('d') | Should -BeTrue
        $got.w_struct.c.d | Should -BeNullOrEmpty
        $got.w_list_value | Should -Be @(1.0, 'two', $false)
        $got.w_any.'@type' | Should -Be 'type.googleapis.com/testplugin.Nested'
        $got.w_any.name | Should -Be 'packed'
        $got.w_any.value | Should -Be 42
    }

    It 'maps unset wrappers and Empty to $null' {
        $empty = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{}
        $empty.w_int32 | Should -BeNullOrEmpty
        $empty.w_timestamp | Should -BeNullOrEmpty
        $empty.w_empty | Should -BeNullOrEmpty
        $empty.f_nested | Should -BeNullOrEmpty
        $empty.f_int32 | Should -Be 0
        $empty.f_string | Should -Be ''
        $empty.r_int32.Count | Should -Be 0
    }

    It 'accepts a previous response as a request' {
        $again = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $got
        $again.f_nested.child.name | Should -Be 'inner'
        $again.w_any.name | Should -Be 'packed'
        $again.m_nested[7].name | Should -Be 'seven'
    }

    It 'accepts a JSON string, with JSON (camelCase) field names' {
        $json = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll '{"fInt64":"-42","fNested":{"name":"js"},"rEnum":["BLUE"]}'
        $json.f_int64 | Should -Be -42
        $json.f_nested.name | Should -Be 'js'
        $json.r_enum | Should -Be 'BLUE'
    }

    It 'matches field names case-insensitively, by proto or JSON name' {
        (Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ F_INT32 = 3; fString = 's' }) |
            ForEach-Object { $_.f_int32; $_.f_string } | Should -Be @(3, 's')
    }
}

Describe 'Invoke-RpcPluginMethod: call kinds' {
    It 'calls a unary method by any name form: <Name>' -ForEach @(
        @{ Name = 'testplugin.Echo/Unary' }
        @{ Name = 'testplugin.Echo.Unary' }
        @{ Name = 'Echo/Unary' }
        @{ Name = 'echo/unary' }
    ) {
        (Invoke-RpcPluginMethod $session $Name @{ message = 'hi' }).message | Should -Be 'hi'
    }

    It 'uses the only session when none is named' {
        (Invoke-RpcPluginMethod testplugin.Echo/Unary @{ message = 'default' }).message | Should -Be 'default'
        (Invoke-RpcPluginMethod testplugin.Echo/Unary @{ message = 'named' } -SessionName echo).message | Should -Be 'named'
    }

    It 'makes one unary call per pipeline item' {
        $replies = 1..3 | ForEach-Object { @{ message = "m$_" } } | Invoke-RpcPluginMethod $session testplugin.Echo/Unary
        $replies.message | Should -Be @('m1', 'm2', 'm3')
    }

    It 'writes server-streaming responses as they arrive' {
        $times = [System.Collections.Generic.List[datetime]]::new()
        $replies = Invoke-RpcPluginMethod $session testplugin.Echo/ServerStream @{ count = 4; interval_ms = 250; message = 's' } |
            ForEach-Object { $times.Add([datetime]::UtcNow); $_ }

        $replies.index | Should -Be @(0, 1, 2, 3)
        ($times[3] - $times[0]).TotalMilliseconds | Should -BeGreaterThan 500
    }

    It 'sends pipeline items as the request stream of a client-streaming method' {
        $summary = 'a', 'b', 'c' | ForEach-Object { @{ message = $_ } } | Invoke-RpcPluginMethod $session testplugin.Echo/ClientStream
        $summary.count | Should -Be 3
        $summary.messages | Should -Be @('a', 'b', 'c')
    }

    It 'sends an array given to -Request as the request stream' {
        $summary = Invoke-RpcPluginMethod $session testplugin.Echo/ClientStream -Request @(@{ message = 'x' }, @{ message = 'y' })
        $summary.messages | Should -Be @('x', 'y')
    }

    It 'writes bidi responses while requests are still being sent' {
        $events = [System.Collections.Generic.List[string]]::new()
        & {
            $events.Add('send b1'); @{ message = 'b1' }
            # Keep the stream going until the answer to b1 has been written: each item lets the command write what
            # came back so far. No guess at how long the plugin takes.
            $until = [datetime]::UtcNow.AddSeconds(30)
            while (-not $events.Contains('got b1') -and [datetime]::UtcNow -lt $until) { Start-Sleep -Milliseconds 20; @{ message = 'wait' } }
            $events.Add('send last'); @{ message = 'last' }
        } | Invoke-RpcPluginMethod $session testplugin.Echo/Bidi | ForEach-Object { $events.Add("got $($_.message)") }

        $events.IndexOf('got b1') | Should -BeGreaterThan -1
        $events.IndexOf('got b1') | Should -BeLessThan $events.IndexOf('send last')
        $events | Should -Contain 'got last'
    }

    It 'writes nothing for an Empty response and a DateTimeOffset for a Timestamp response' {
        Invoke-RpcPluginMethod $session testplugin.Echo/Sleep @{ milliseconds = 1 } | Should -BeNullOrEmpty
        $now = Invoke-RpcPluginMethod $session testplugin.Echo/Now
        $now | Should -BeOfType ([DateTimeOffset])
        ([DateTimeOffset]::UtcNow - $now).Duration().TotalMinutes | Should -BeLessThan 5
    }

    It 'writes JSON, hashtables or raw bytes when asked' {
        $json = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'j' } -AsJson
        ($json | ConvertFrom-Json).message | Should -Be 'j'
        $table = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'h' } -AsHashtable
        $table | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
        $table.message | Should -Be 'h'
        $raw = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'r' } -Raw
        , $raw | Should -BeOfType ([byte[]])
        $raw[0..2] | Should -Be @(10, 1, [byte][char]'r')
    }
}

Describe 'Invoke-RpcPluginMethod: failures' {
    It 'ends a call at -Timeout with RpcPlugin.Rpc.DeadlineExceeded' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        { Invoke-RpcPluginMethod $session testplugin.Echo/Sleep @{ milliseconds = 5000 } -Timeout '0.2s' -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.Rpc.DeadlineExceeded,*'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
    }

    It 'reports the plugin''s status as RpcPlugin.Rpc.<Code> and carries on with the pipeline' {
        $errors = @()
        $replies = @(@{ code = 5; message = 'no such thing' }, @{ code = 0 }) |
            Invoke-RpcPluginMethod $session testplugin.Echo/Fail -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.Rpc.NotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].Exception.StatusDetail | Should -Be 'no such thing'
        $errors[0].Exception.Message | Should -BeLike '*no such thing*'
        $errors[0].TargetObject | Should -Be 'testplugin.Echo/Fail'
        $replies | Should -BeNullOrEmpty
    }

    It 'names the field and reason for <Case>' -ForEach @(
        @{ Case = 'an unknown field'; Request = @{ nope = 1 }; Expected = "*no field 'nope'*valid fields: message, delay_ms*" }
        @{ Case = '1.5 into int32'; Request = @{ delay_ms = 1.5 }; Expected = "*field 'delay_ms'*whole number*1.5*" }
    ) {
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/Unary $Request -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -PassThru
        $err.Exception.Message | Should -BeLike $Expected
    }

    It 'names the field path for <Case> in a nested message' -ForEach @(
        @{ Case = '-1 into uint32'; Request = @{ f_uint32 = -1 }; Expected = "*'f_uint32'*out of range*" }
        @{ Case = 'a string into bool'; Request = @{ f_nested = @{ child = @{ name = 'x' } }; f_bool = 'false' }; Expected = "*'f_bool'*bool*'false'*" }
        @{ Case = 'two oneof members'; Request = @{ o_string = 'a'; o_int32 = 1 }; Expected = "*o_*both members of oneof 'choice'*" }
        @{ Case = 'a bad nested value'; Request = @{ r_nested = @(@{ name = 'ok' }, @{ value = 'x' }) }; Expected = "*'r_nested``[1``].value'*" }
        @{ Case = 'an unknown enum name'; Request = @{ f_enum = 'PURPLE' }; Expected = "*'PURPLE' is not a value of enum testplugin.Color*RED*" }
    ) {
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $Request -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -PassThru
        $err.Exception.Message | Should -BeLike $Expected
    }

    It 'lists the candidates when the method is missing' {
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/Unry -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.MethodNotFound,*' -PassThru
        $err.Exception.Message | Should -BeLike '*No method matches*'
    }

    It 'lists the candidates when a bare method name is ambiguous' {
        $err = { Invoke-RpcPluginMethod $session Unary @{} -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.MethodNotFound,*' -PassThru
        $err.Exception.Message | Should -BeLike '*testplugin.Echo/Unary*testplugin.Mirror/Unary*'
    }

    It 'cancels a call on Ctrl+C within a second and keeps the session usable' {
        $runspace = New-TestRunspace
        try {
            Invoke-InRunspace $runspace "`$s = Start-RpcPlugin `$TestPlugin -Name cancel -ProtocolVersion 2"
            $ps = [powershell]::Create($runspace)
            $null = $ps.AddScript('Invoke-RpcPluginMethod $s testplugin.Echo/Sleep @{ milliseconds = 30000 }')
            $sleeper = Invoke-InRunspace $runspace '$s'
            $async = $ps.BeginInvoke()
            # The plugin logs 'sleeping' once the call is under way.
            Wait-Until { @(Get-RpcPluginLog -Session $sleeper | Where-Object Message -EQ 'sleeping').Count -ge 1 } -Seconds 60 | Should -BeTrue
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 1.5
            (Invoke-InRunspace $runspace '(Invoke-RpcPluginMethod $s testplugin.Echo/Unary @{ message = "still here" }).message') | Should -Be 'still here'
        } finally {
            Invoke-InRunspace $runspace 'Get-RpcPlugin | Stop-RpcPlugin'
            $runspace.Dispose()
        }
    }
}

Describe 'Invoke-RpcPluginMethod: metadata' {
    It 'sends -Metadata and returns headers and trailers in the named variables' {
        $reply = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'm' } -Metadata @{ 'x-echo-a' = 'one'; 'x-echo-b-bin' = [byte[]](1, 2) } `
            -ResponseHeadersVariable headers -TrailersVariable trailers

        $reply.message | Should -Be 'm'
        $headers['x-echo-a'] | Should -Be 'one'
        $headers['x-echo-b-bin'] | Should -Be ([byte[]](1, 2))
        $trailers['trailer-x-echo-a'] | Should -Be 'one'
    }

    It 'attaches the trailers of a failed call to the error' {
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/Fail @{ code = 9; message = 'later'; details = @{ 'retry-after' = '5' } } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.Rpc.FailedPrecondition,*' -PassThru
        $err.Exception.Trailers['retry-after'] | Should -Be '5'
    }
}

Describe 'Invoke-RpcPluginMethod: progress' {
    BeforeAll {
        $runspace = New-TestRunspace
        function Get-StreamProgress([string] $Script) {
            # Progress cannot be redirected in a script, so the command runs in its own PowerShell instance.
            $ps = [powershell]::Create($runspace)
            try {
                $output = $ps.AddScript($Script).AddArgument($session).Invoke()
                if ($ps.HadErrors) { throw ($ps.Streams.Error | Select-Object -First 1) }
                [pscustomobject]@{ Output = $output; Progress = @($ps.Streams.Progress) }
            } finally { $ps.Dispose() }
        }
    }

    AfterAll {
        $runspace.Dispose()
    }

    It 'shows the count and rate of a server stream that runs over a second, then clears the bar' {
        $run = Get-StreamProgress 'param($s) Invoke-RpcPluginMethod $s testplugin.Echo/ServerStream @{ message = ''p''; count = 30; interval_ms = 60 } | Measure-Object | ForEach-Object Count'

        $run.Output | Should -Be 30
        $shown = @($run.Progress | Where-Object RecordType -EQ Processing)
        $shown.Count | Should -BeGreaterThan 0
        $shown[0].Activity | Should -Be "testplugin.Echo/ServerStream on plugin 'echo'"
        $shown[-1].StatusDescription | Should -Match '^\d+ received \([\d,.]+/s\)$'
        $run.Progress[-1].RecordType | Should -Be Completed
        $run.Progress[-1].ActivityId | Should -Be $shown[0].ActivityId
    }

    It 'counts what a client stream has sent' {
        $run = Get-StreamProgress 'param($s) 1..12 | ForEach-Object { Start-Sleep -Milliseconds 120; @{ message = "m$_" } } | Invoke-RpcPluginMethod $s testplugin.Echo/ClientStream | ForEach-Object count'

        $run.Output | Should -Be 12
        @($run.Progress | Where-Object RecordType -EQ Processing)[-1].StatusDescription | Should -Match '^\d+ sent \('
        $run.Progress[-1].RecordType | Should -Be Completed
    }

    It 'shows nothing for a stream that ends within a second' {
        $run = Get-StreamProgress 'param($s) Invoke-RpcPluginMethod $s testplugin.Echo/ServerStream @{ message = ''q''; count = 5 } | Measure-Object | ForEach-Object Count'

        $run.Output | Should -Be 5
        $run.Progress | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-RpcPluginMethod: -Verbose' {
    It 'names the method, its kind and the plugin it calls' {
        $verbose = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'v' } -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        $verbose.Message | Should -Contain "Calling testplugin.Echo/Unary (Unary) on plugin 'echo'."
    }
}
