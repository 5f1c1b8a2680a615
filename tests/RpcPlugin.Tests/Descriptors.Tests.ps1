BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $protos = $env:RPCPLUGIN_TEST_PROTOS
    if (-not $protos) { $protos = Join-Path $PSScriptRoot '../../protos' }
    $protoFile = Join-Path $protos 'test/testplugin.proto'
    $protoSet = $env:RPCPLUGIN_TEST_PROTOSET
}

Describe 'Descriptor sources' {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin
    }

    It 'calls methods with descriptors from <Source>' -ForEach @(
        @{ Source = 'server reflection'; Parameters = @{} }
        @{ Source = '-ProtoFile'; Parameters = @{ ProtoFile = 'PROTOFILE'; ImportPath = 'PROTOS'; NoReflection = $true } }
        @{ Source = '-DescriptorSet'; Parameters = @{ DescriptorSet = 'PROTOSET'; NoReflection = $true } }
    ) {
        if ($Source -eq '-DescriptorSet' -and -not ($protoSet -and (Test-Path $protoSet))) {
            Set-ItResult -Skipped -Because 'no descriptor set was written (protoc from Grpc.Tools runs on Linux x64 only)'
            return
        }
        $splat = @{}
        foreach ($key in $Parameters.Keys) {
            $splat[$key] = switch ($Parameters[$key]) { 'PROTOFILE' { $protoFile } 'PROTOS' { $protos } 'PROTOSET' { $protoSet } default { $_ } }
        }
        $session = Start-TestPlugin -Parameters $splat

        (Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'via descriptors' }).message | Should -Be 'via descriptors'
        $all = Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @{ f_int64 = 5; w_any = @{ '@type' = 'type.googleapis.com/testplugin.Nested'; name = 'n' } }
        $all.f_int64 | Should -Be 5
        $all.w_any.name | Should -Be 'n'
        (Get-RpcPluginMethod -Session $session -Service testplugin.Echo).Count | Should -Be 11
        $session.Services | Should -Be @('testplugin.Echo', 'testplugin.Mirror')
    }

    It 'takes method descriptions from the .proto file''s comments' {
        $session = Start-TestPlugin -Parameters @{ ProtoFile = $protoFile; ImportPath = $protos }

        $method = Get-RpcPluginMethod ServerStream -Session $session
        $method | Should -BeOfType ([RpcPlugin.RpcMethodInfo])
        $method.FullName | Should -Be 'testplugin.Echo/ServerStream'
        $method.Kind | Should -Be 'ServerStreaming'
        $method.RequestType | Should -Be 'testplugin.StreamRequest'
        $method.ResponseType | Should -Be 'testplugin.EchoReply'
        $method.Description | Should -BeLike 'Streams count replies*'
    }

    It 'reports every error of a broken .proto file with file:line, and starts nothing' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "rpcplugin-proto-$([guid]::NewGuid())"
        $null = New-Item -ItemType Directory $dir
        try {
            Set-Content (Join-Path $dir 'broken.proto') "syntax = `"proto3`";`nmessage A {`n  int32 x = ;`n}`nmessage B { strin y = 1; }`n"
            $marker = New-ProcessMarker
            $err = { Start-TestPlugin -Parameters @{ ProtoFile = (Join-Path $dir 'broken.proto'); ArgumentList = $marker } } |
                Should -Throw -ErrorId 'RpcPlugin.DescriptorInvalid,*' -PassThru
            $err.Exception.Message | Should -BeLike '*broken.proto:3:*'
            $err.Exception.Message | Should -BeLike '*broken.proto:5:*'
            (Get-MarkedProcess $marker).Count | Should -Be 0
        } finally { Remove-Item $dir -Recurse -Force }
    }

    It 'names a .proto file that does not exist' {
        { Start-TestPlugin -Parameters @{ ProtoFile = './nope.proto' } } | Should -Throw -ErrorId 'RpcPlugin.DescriptorInvalid,*' -ExpectedMessage '*nope.proto*'
    }

    It 'tells the user to pass descriptors when the plugin has no reflection and none were given' {
        $session = Start-TestPlugin -Parameters @{ NoReflection = $true }
        $err = { Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{} -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.MethodNotFound,*' -PassThru
        $err.Exception.Message | Should -BeLike '*-ProtoFile*'
    }
}

Describe 'Discovery' {
    BeforeAll {
        $session = Start-TestPlugin -Parameters @{ Name = 'disco'; ProtoFile = $protoFile; ImportPath = $protos }
    }

    AfterAll {
        Get-RpcPlugin | Stop-RpcPlugin
    }

    It 'lists services without go-plugin''s plumbing unless asked' {
        (Get-RpcPluginService).Name | Should -Be @('testplugin.Echo', 'testplugin.Mirror')
        (Get-RpcPluginService -IncludeInternal).Name | Should -Contain 'plugin.GRPCController'
        (Get-RpcPluginService -IncludeInternal).Name | Should -Contain 'grpc.health.v1.Health'
        (Get-RpcPluginService Mirror).Methods.Name | Should -Be @('Unary', 'Reverse')
    }

    It 'lists methods by wildcard on the name or the full name' {
        (Get-RpcPluginMethod 'Un*').FullName | Should -Be @('testplugin.Echo/Unary', 'testplugin.Mirror/Unary')
        (Get-RpcPluginMethod 'testplugin.Mirror/*').Name | Should -Be @('Unary', 'Reverse')
        (Get-RpcPluginMethod -Service Mirror Reverse).Kind | Should -Be 'DuplexStreaming'
    }

    It 'says how to pass a session given where a <Command> name goes' -ForEach @(
        @{ Command = 'Get-RpcPluginService' }
        @{ Command = 'Get-RpcPluginMethod' }
    ) {
        $errors = @(& $Command $session -ErrorAction SilentlyContinue -ErrorVariable failures) + @($failures)
        $failure = $errors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Select-Object -First 1

        $failure.FullyQualifiedErrorId | Should -BeLike "RpcPlugin.MethodNotFound,*"
        $failure.Exception.Message | Should -BeLike "*'disco (Id *, Ready)' is a session, given where a name goes: pass it as -Session `$s or through the pipeline (`$s | $Command)."
    }

    It 'formats methods as a table' {
        $text = Get-RpcPluginMethod -Service Echo | Format-Table | Out-String -Width 160
        $text | Should -Match 'Service: testplugin\.Echo \(session '
        $text | Should -Match 'Kind\s+Name\s+RequestType\s+ResponseType'
        $text | Should -Match 'ClientStreaming\s+ClientStream\s+testplugin\.EchoRequest\s+testplugin\.StreamSummary'
    }

    It 'completes -Method from the session in a variable' {
        # Completion evaluates variables in the global scope, where an interactive user's $s lives.
        $global:completionSession = $session
        try {
            $line = 'Invoke-RpcPluginMethod $completionSession testplugin.Echo/Se'
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $result.CompletionMatches.CompletionText | Should -Be @('testplugin.Echo/ServerStream')
        } finally { Remove-Variable completionSession -Scope Global }
    }

    It 'completes -Method from the runspace''s sessions with a bare method prefix' {
        $line = 'Invoke-RpcPluginMethod Rev'
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Be @('testplugin.Mirror/Reverse')
        $result.CompletionMatches[0].ToolTip | Should -BeLike 'DuplexStreaming: testplugin.EchoRequest*'
    }

    It 'builds a request skeleton that can be sent as it is' {
        $skeleton = New-RpcPluginMessage testplugin.Echo/EchoAll
        $skeleton | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
        @($skeleton.Keys)[0..2] | Should -Be @('f_int32', 'f_int64', 'f_uint32')
        $skeleton.f_enum | Should -Be 'COLOR_UNSPECIFIED'
        $skeleton.f_nested.Keys | Should -Contain 'name'
        $skeleton.o_string | Should -BeNullOrEmpty

        $skeleton.f_int32 = 12
        (Invoke-RpcPluginMethod testplugin.Echo/EchoAll $skeleton).f_int32 | Should -Be 12
    }

    It 'builds a skeleton by type name' {
        (New-RpcPluginMessage -TypeName testplugin.Nested).Keys | Should -Be @('name', 'value', 'child')
    }
}

Describe 'Completion of service names' {
    BeforeAll {
        $session = Start-TestPlugin -Parameters @{ Name = 'complete' }
    }

    AfterAll {
        Get-RpcPlugin | Stop-RpcPlugin
    }

    It 'completes <Line>' -ForEach @(
        @{ Line = 'Get-RpcPluginService Mi'; Expected = 'testplugin.Mirror' }
        @{ Line = 'Get-RpcPluginMethod -Service testplugin.E'; Expected = 'testplugin.Echo' }
    ) {
        $result = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        $result.CompletionMatches.CompletionText | Should -Be @($Expected)
    }
}
