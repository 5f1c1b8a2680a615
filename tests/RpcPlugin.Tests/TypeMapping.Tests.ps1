BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $session = Start-TestPlugin -Parameters @{ Name = 'mapping' }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
    Test-ProcessGone $session.ProcessId | Should -BeTrue
}

Describe 'Type mapping: timestamps and durations keep their nanoseconds' {
    It 'sends <Text> as <Sent>, as the same text in JSON does' -ForEach @(
        @{ Text = '2024-12-31T23:59:59.99999999Z'; Sent = '2024-12-31T23:59:59.999999990Z' }
        @{ Text = '9999-12-31T23:59:59.999999999Z'; Sent = '9999-12-31T23:59:59.999999999Z' }
        @{ Text = '2024-01-01T09:00:00.000000001+09:00'; Sent = '2024-01-01T00:00:00.000000001Z' }
    ) {
        $fromHashtable = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ w_timestamp = $Text } -AsJson
        $fromJson = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll ('{"wTimestamp":"' + $Text + '"}') -AsJson

        Get-JsonField $fromHashtable wTimestamp | Should -Be $Sent
        Get-JsonField $fromJson wTimestamp | Should -Be $Sent
    }

    It 'sends a duration of <Case> exactly' -ForEach @(
        @{ Case = 'many seconds as a [decimal]'; Value = 315576000000.123456789d; Sent = '315576000000.123456789s' }
        @{ Case = 'many seconds as a string'; Value = '-315576000000.000000001s'; Sent = '-315576000000.000000001s' }
        @{ Case = 'a [long]'; Value = [long]315576000000; Sent = '315576000000s' }
        @{ Case = 'one nanosecond as a [double]'; Value = 1.000000001; Sent = '1.000000001s' }
    ) {
        $json = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ w_duration = $Value } -AsJson

        Get-JsonField $json wDuration | Should -Be $Sent
    }

    It 'refuses a duration beyond protobuf''s ±315576000000 s' {
        { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ w_duration = [timespan]::MaxValue } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -ExpectedMessage "*'w_duration'*315576000000*"
    }

    It 'writes a [datetime] in a Struct as an RFC 3339 string, not in a culture''s format' {
        $json = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ w_struct = @{ when = [datetime]'2024-01-02T03:04:05' } } -AsJson

        Get-JsonField $json when | Should -Be '2024-01-02T03:04:05Z'
    }

    It 'takes a [datetime] of kind Unspecified as UTC, as the same text, in any local time zone' {
        $script = Join-Path $TestDrive 'zone.ps1'
        Set-Content $script @'
param($Helpers)
. $Helpers
$s = Start-TestPlugin
try {
    $date = Invoke-RpcPluginMethod $s testplugin.Echo/EchoAll @{ w_timestamp = [datetime]'2024-05-01T12:30:00' } -AsJson
    $text = Invoke-RpcPluginMethod $s testplugin.Echo/EchoAll @{ w_timestamp = '2024-05-01T12:30:00' } -AsJson
    $struct = Invoke-RpcPluginMethod $s testplugin.Echo/EchoAll @{ w_struct = @{ when = [datetime]'2024-05-01T12:30:00' } } -AsJson
    $local = Invoke-RpcPluginMethod $s testplugin.Echo/EchoAll @{ w_timestamp = [datetime]::new(2024, 5, 1, 12, 30, 0, [DateTimeKind]::Local) } -AsJson
    $pattern = '"(wTimestamp|when)":\s*"([^"]*)"'
    @(([regex]::Match($date, $pattern).Groups[2].Value), ([regex]::Match($text, $pattern).Groups[2].Value),
      ([regex]::Match($struct, $pattern).Groups[2].Value), ([regex]::Match($local, $pattern).Groups[2].Value),
      [TimeZoneInfo]::Local.BaseUtcOffset.TotalHours, $s.ProcessId) -join '|'
} finally { Stop-RpcPlugin $s }
'@
        $run = Invoke-FreshPwsh -File $script -ArgumentList '-Helpers', (Join-Path $PSScriptRoot 'TestHelpers.ps1') -Environment @{ TZ = 'Asia/Tokyo' }

        $date, $text, $struct, $local, $offset, $pluginId = ($run.Lines | Select-Object -Last 1) -split '\|'
        $offset | Should -Be 9
        $date | Should -Be '2024-05-01T12:30:00Z'
        $text | Should -Be '2024-05-01T12:30:00Z'
        $struct | Should -Be '2024-05-01T12:30:00Z'
        $local | Should -Be '2024-05-01T03:30:00Z'
        Test-ProcessGone ([int]$pluginId) | Should -BeTrue
    }
}

Describe 'Type mapping: the same field given twice is refused' {
    It 'refuses <Case>' -ForEach @(
        @{ Case = 'a proto name and a JSON name in a hashtable'; Request = @{ f_int32 = 1; fInt32 = 2 }; Path = 'f_int32' }
        @{ Case = 'both names in an ordered hashtable'; Request = [ordered]@{ f_int32 = 1; FInt32 = 2 }; Path = 'f_int32' }
        @{ Case = 'both names on a PSCustomObject'; Request = [pscustomobject]@{ f_string = 'a'; fString = 'b' }; Path = 'f_string' }
        @{ Case = 'both names, one of them $null'; Request = @{ f_int32 = $null; fInt32 = 2 }; Path = 'f_int32' }
        @{ Case = 'a oneof member by both names'; Request = @{ o_string = 'a'; oString = 'b' }; Path = 'o_string' }
        @{ Case = 'a field of a message nested in an Any'; Request = @{ w_any = @{ '@type' = 'type.googleapis.com/testplugin.AllTypes'; f_bool = $true; fBool = $false } }; Path = 'w_any.*f_bool' }
        @{ Case = 'map keys equal once converted (7 and ''7'')'; Request = & { $m = @{ 7 = @{ name = 'a' } }; $m['7'] = @{ name = 'b' }; @{ m_nested = $m } }; Path = 'm_nested`[7`]' }
        @{ Case = 'bool map keys equal once converted'; Request = @{ m_bool = @{ $true = 'a'; 'true' = 'b' } }; Path = 'm_bool`[True`]' }
        @{ Case = 'string map keys equal once converted'; Request = & { $m = @{ 1 = 'a' }; $m['1'] = 'b'; @{ m_string = $m } }; Path = 'm_string`[1`]' }
        @{ Case = 'Struct keys equal once converted'; Request = & { $m = @{ 1 = 'a' }; $m['1'] = 'b'; @{ w_struct = $m } }; Path = 'w_struct`[1`]' }
        @{ Case = 'map keys given twice in JSON'; Request = '{"mNested":{"7":{},"07":{}}}'; Path = '*' }
    ) {
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $Request -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -PassThru
        $err.Exception.Message | Should -BeLike "*'$Path'*"
        $err.Exception.Message | Should -BeLike '*more than once*'
    }

    It 'refuses a previous response given a field again under its JSON name' {
        $reply = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ f_int32 = 1 }
        $reply | Add-Member -NotePropertyName fInt32 -NotePropertyValue 2

        { Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $reply -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*' -ExpectedMessage "*'f_int32'*more than once*"
    }
}

Describe 'Type mapping: maps with integer and bool keys' {
    BeforeAll {
        $sent = @{
            m_nested = [ordered]@{ 7 = @{ name = 'seven' }; -2 = @{ name = 'minus two' } }
            m_bool = [ordered]@{ $true = 'yes'; $false = 'no' }
            mk_int64 = @{ [long]::MinValue = 'min' }
            mk_uint32 = @{ [uint32]::MaxValue = 'max' }
            mk_uint64 = @{ [uint64]::MaxValue = 'max' }
            mk_sint32 = @{ -7 = 's32' }
            mk_sint64 = @{ -8 = 's64' }
            mk_fixed32 = @{ 9 = 'f32' }
            mk_fixed64 = @{ 10 = 'f64' }
            mk_sfixed32 = @{ -11 = 'sf32' }
            mk_sfixed64 = @{ -12 = 'sf64' }
        }
        $got = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $sent
    }

    It 'converts to JSON as proto3 JSON writes maps, keys as text' {
        $json = $got | ConvertTo-Json -Depth 10 -Compress

        $json | Should -BeLike '*"m_nested":{"7":{"name":"seven"*'
        $json | Should -BeLike '*"m_bool":{"true":"yes","false":"no"}*'
        $json | Should -BeLike '*"mk_uint64":{"18446744073709551615":"max"}*'
        $back = $json | ConvertFrom-Json
        $back.m_nested.'7'.name | Should -Be 'seven'
        $back.mk_int64.'-9223372036854775808' | Should -Be 'min'
    }

    It 'converts -AsHashtable output to JSON too' {
        $table = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $sent -AsHashtable
        $table | ConvertTo-Json -Depth 10 -Compress | Should -BeLike '*"m_bool":{"true":"yes","false":"no"}*'
        $table.m_nested[7].name | Should -Be 'seven'
    }

    It 'finds <Field> entries by a key of any integer type, as text, and by member access' -ForEach @(
        @{ Field = 'm_nested'; Key = 7; KeyType = [int]; Value = 'seven' }
        @{ Field = 'mk_int64'; Key = [long]::MinValue; KeyType = [long]; Value = 'min' }
        @{ Field = 'mk_uint32'; Key = [uint32]::MaxValue; KeyType = [uint32]; Value = 'max' }
        @{ Field = 'mk_uint64'; Key = [uint64]::MaxValue; KeyType = [uint64]; Value = 'max' }
        @{ Field = 'mk_sint32'; Key = -7; KeyType = [int]; Value = 's32' }
        @{ Field = 'mk_sint64'; Key = -8; KeyType = [long]; Value = 's64' }
        @{ Field = 'mk_fixed32'; Key = 9; KeyType = [uint32]; Value = 'f32' }
        @{ Field = 'mk_fixed64'; Key = 10; KeyType = [uint64]; Value = 'f64' }
        @{ Field = 'mk_sfixed32'; Key = -11; KeyType = [int]; Value = 'sf32' }
        @{ Field = 'mk_sfixed64'; Key = -12; KeyType = [long]; Value = 'sf64' }
    ) {
        $map = $got.$Field
        $entry = $map[$Key]
        if ($entry -isnot [string]) { $entry = $entry.name }
        $entry | Should -Be $Value
        $byText = $map["$Key"]
        if ($byText -isnot [string]) { $byText = $byText.name }
        $byText | Should -Be $Value
        $byMember = $map."$Key"
        if ($byMember -isnot [string]) { $byMember = $byMember.name }
        $byMember | Should -Be $Value
        @($map.Keys)[0] | Should -BeOfType $KeyType
        $map.KeyType | Should -Be $KeyType
    }

    It 'finds an int32 key given as a [long], a [double] or a [byte], and misses absent or foreign keys' {
        $got.m_nested[[long]7].name | Should -Be 'seven'
        $got.m_nested[7.0].name | Should -Be 'seven'
        $got.m_nested[[byte]7].name | Should -Be 'seven'
        $got.m_nested[-2].name | Should -Be 'minus two'
        $got.m_nested[8] | Should -BeNullOrEmpty
        $got.m_nested['seven'] | Should -BeNullOrEmpty
        $got.m_nested[[long]::MaxValue] | Should -BeNullOrEmpty
        $got.m_nested.ContainsKey(7) | Should -BeTrue
        $got.m_nested.Contains('7') | Should -BeTrue
    }

    It 'finds bool keys by $true, ''true'' and member access' {
        $got.m_bool[$true] | Should -Be 'yes'
        $got.m_bool[$false] | Should -Be 'no'
        $got.m_bool['True'] | Should -Be 'yes'
        $got.m_bool.false | Should -Be 'no'
        @($got.m_bool.Keys) | Should -Be @($true, $false)
    }

    It 'has Keys, Values, Count, enumeration and a list view' {
        $got.m_nested.Count | Should -Be 2
        @($got.m_nested.Keys) | Should -Be @(7, -2)
        @($got.m_nested.Values).name | Should -Be @('seven', 'minus two')
        $seen = foreach ($key in $got.m_nested.Keys) { $got.m_nested[$key].name }
        $seen | Should -Be @('seven', 'minus two')
        @($got.m_nested.GetEnumerator()).Count | Should -Be 2
        ($got.m_nested | Format-List | Out-String) | Should -BeLike '*seven*'
        ($got | Format-List m_bool | Out-String) | Should -BeLike '*yes*'
        $got.mk_uint32 | Should -BeOfType ([RpcPlugin.ProtoMap])
        $got.mk_uint32 | Should -BeOfType ([System.Collections.IDictionary])
    }

    It 'is read-only, saying how to change it' {
        { $got.m_nested[8] = @{ name = 'eight' } } | Should -Throw -ExpectedMessage '*read-only*'
    }

    It 'is accepted back as a request, keys and all' {
        $again = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $got

        $again.m_nested[7].name | Should -Be 'seven'
        $again.mk_uint64[[uint64]::MaxValue] | Should -Be 'max'
        $again.mk_int64[[long]::MinValue] | Should -Be 'min'
        $again.m_bool[$false] | Should -Be 'no'
    }
}

Describe 'Type mapping: response objects have a property for every field' {
    It 'shows unset oneof members as $null, so a StrictMode script can read any field' {
        Set-StrictMode -Version Latest
        $reply = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ o_string = 'chosen' }

        $reply.o_string | Should -Be 'chosen'
        $reply.o_int32 | Should -BeNullOrEmpty
        $reply.o_nested | Should -BeNullOrEmpty
        $reply.PSObject.Properties.Name | Should -Contain 'o_int32'
        $none = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{}
        $none.o_string | Should -BeNullOrEmpty
        @($none.PSObject.Properties).Count | Should -Be @($reply.PSObject.Properties).Count
    }

    It 'does the same with -AsHashtable' {
        $table = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ o_int32 = 0 } -AsHashtable

        $table.Contains('o_string') | Should -BeTrue
        $table.o_string | Should -BeNullOrEmpty
        $table.o_int32 | Should -Be 0
    }

    It 'keeps a oneof member set to its default apart from an unset one, and passes the reply back' {
        $reply = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ o_int32 = 0 }
        $reply.o_int32 | Should -Be 0
        $reply.o_int32 | Should -Not -BeNullOrEmpty

        (Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll $reply).o_int32 | Should -Be 0
    }
}

Describe 'Type mapping: -ProtoFile and -DescriptorSet wildcards' {
    It 'fails a start whose -<Parameter> wildcard matches nothing, and starts nothing' -ForEach @(
        @{ Parameter = 'ProtoFile' }
        @{ Parameter = 'DescriptorSet' }
    ) {
        $before = @(Get-RpcPlugin).Count
        { Start-TestPlugin -Parameters @{ $Parameter = (Join-Path $TestDrive 'nothing-here-*.proto') } } |
            Should -Throw -ErrorId 'RpcPlugin.DescriptorInvalid,*' -ExpectedMessage '*nothing-here-`*.proto*matches no*'
        @(Get-RpcPlugin).Count | Should -Be $before
    }

    It 'fails a start whose -ProtoFile names a directory' {
        { Start-TestPlugin -Parameters @{ ProtoFile = $TestDrive } } |
            Should -Throw -ErrorId 'RpcPlugin.DescriptorInvalid,*' -ExpectedMessage '*directory*'
    }
}

Describe 'Type mapping: sessions share their response types' {
    It 'loads no new types or assemblies for new sessions whose messages have the same shape' {
        function Invoke-Cycle {
            $s = Start-TestPlugin -Parameters @{ Name = 'churn' }
            try {
                $null = Invoke-RpcPluginMethod $s testplugin.Echo/EchoAll @{ f_nested = @{ name = 'n' }; o_string = 'x'; w_any = @{ '@type' = 'type.googleapis.com/testplugin.Nested'; name = 'p' } }
                $null = Invoke-RpcPluginMethod $s testplugin.Echo/EchoAll @{ o_int32 = 1 }
                $null = Invoke-RpcPluginMethod $s testplugin.Echo/Unary @{ message = 'u' }
                $null = Invoke-RpcPluginMethod $s testplugin.Echo/GetInfo
            } finally { Stop-RpcPlugin $s }
            $s.ProcessId
        }
        function Get-MessageAssemblies { @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -like 'RpcPlugin.Messages.*' }).Count }

        $null = Invoke-Cycle
        $null = Invoke-Cycle
        $messages = Get-MessageAssemblies
        $all = [AppDomain]::CurrentDomain.GetAssemblies().Count
        $ids = 1..5 | ForEach-Object { Invoke-Cycle }

        Get-MessageAssemblies | Should -Be $messages
        # Allowance for a framework assembly loaded once, late (System.Net.Quic, by the HTTP stack): not per session.
        [AppDomain]::CurrentDomain.GetAssemblies().Count | Should -BeLessOrEqual ($all + 2)
        foreach ($id in $ids) { Test-ProcessGone $id | Should -BeTrue }
    }
}
