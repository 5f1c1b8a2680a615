BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $protos = Join-Path $PSScriptRoot '../../protos'
    $session = Start-TestPlugin -Parameters @{ Name = 'generated'; ProtoFile = (Join-Path $protos 'test/testplugin.proto'); ImportPath = $protos }
    $module = Import-RpcPluginCommand -Session $session -Service testplugin.Echo -Prefix Echo
}

AfterAll {
    Get-Module 'RpcPlugin.Commands.*' | Remove-Module
    Get-RpcPlugin | Stop-RpcPlugin
    Test-ProcessGone $session.ProcessId | Should -BeTrue
}

Describe 'Import-RpcPluginCommand' {
    It 'returns the dynamic module with one command per method' {
        $module | Should -BeOfType ([System.Management.Automation.PSModuleInfo])
        $module.Name | Should -Be 'RpcPlugin.Commands.Echo'
        $module.ExportedFunctions.Keys | Should -Contain 'Invoke-EchoUnary'
        $module.ExportedFunctions.Keys | Should -Contain 'Invoke-EchoServerStream'
        $module.ExportedFunctions.Count | Should -Be 11
    }

    It 'turns request fields into typed parameters, positional in field order' {
        $command = Get-Command Invoke-EchoServerStream
        $command.Parameters['Count'].ParameterType | Should -Be ([int])
        $command.Parameters['IntervalMs'].Aliases | Should -Contain 'interval_ms'
        (Invoke-EchoUnary 'positional').message | Should -Be 'positional'
        (Get-Command Invoke-EchoEchoAll).Parameters['FBool'].SwitchParameter | Should -BeTrue
        (Get-Command Invoke-EchoEchoAll).Parameters['WTimestamp'].ParameterType | Should -Be ([DateTimeOffset])
    }

    It 'offers enum values as a ValidateSet' {
        $set = (Get-Command Invoke-EchoEchoAll).Parameters['FEnum'].Attributes | Where-Object { $_ -is [ValidateSet] }
        $set.ValidValues | Should -Be @('COLOR_UNSPECIFIED', 'RED', 'GREEN', 'BLUE')
        (Invoke-EchoEchoAll -FEnum green -FBool -FInt64 7) | ForEach-Object { $_.f_enum; $_.f_bool; $_.f_int64 } | Should -Be @('GREEN', $true, 7)
        { Invoke-EchoEchoAll -FEnum PURPLE } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'binds pipeline objects by property name, one request each (a stream for client streaming)' {
        $replies = 'a', 'b' | ForEach-Object { [pscustomobject]@{ Message = $_; DelayMs = 1 } } | Invoke-EchoUnary
        $replies.message | Should -Be @('a', 'b')
        $summary = 'x', 'y', 'z' | ForEach-Object { [pscustomobject]@{ message = $_ } } | Invoke-EchoClientStream
        $summary.messages | Should -Be @('x', 'y', 'z')
        (Invoke-EchoServerStream -Count 3).index | Should -Be @(0, 1, 2)
    }

    It 'sends each pipeline object''s own properties, not those of the object before it' {
        $first = [pscustomobject]@{ f_string = 'first'; f_int32 = 5 }
        $second = [pscustomobject]@{ f_string = 'second' }

        $replies = $first, $second | Invoke-EchoEchoAll -FInt64 7

        $replies.f_string | Should -Be @('first', 'second')
        $replies.f_int32 | Should -Be @(5, 0)
        $replies.f_int64 | Should -Be @(7, 7) -Because 'what the command line binds holds for every object'
    }

    It 'collects the call''s errors in its -ErrorVariable' {
        Invoke-EchoSleep -Milliseconds 5000 -Timeout 0.2 -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.Rpc.DeadlineExceeded,*'
    }

    It 'writes a response that cannot be shown as a non-terminating InvalidResponse, and calls the next input' {
        $bad = [pscustomobject]@{ f_string = 'bad'; w_any = @{ type_url = 'type.googleapis.com/testplugin.Nested'; value = [byte[]](0xFF) } }
        $good = [pscustomobject]@{ f_string = 'good'; w_any = $null }

        $written = @($bad, $good | Invoke-EchoEchoAll 2>&1)

        $written.Count | Should -Be 2
        $written[0] | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $written[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidResponse,*'
        $written[1].f_string | Should -Be 'good'
    }

    It 'takes -Session and -Timeout' {
        { Invoke-EchoSleep -Milliseconds 5000 -Timeout 0.2 -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.Rpc.DeadlineExceeded,*'
        $other = Start-TestPlugin -Parameters @{ Name = 'other' }
        (Invoke-EchoUnary -Message 'elsewhere' -Session $other).pid | Should -Be $other.ProcessId
    }

    It 'says what is wrong with a -Session that is <Case>, as the module''s own commands do' -ForEach @(
        @{ Case = '$null'; Session = $null; Expected = '*session is $null*' }
        @{ Case = 'a copy from another process'; Session = [pscustomobject]@{ PSTypeName = 'Deserialized.RpcPlugin.RpcPluginSession'; Name = 'gone' }; Expected = "*'gone'*another process*" }
    ) {
        $err = { Invoke-EchoUnary -Message 'm' -Session $Session } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $err.Exception.Message | Should -BeLike $Expected
    }

    It 'carries help from the proto comments' {
        $help = Get-Help Invoke-EchoServerStream
        $help.Synopsis | Should -BeLike 'Streams count replies*'
        ($help.parameters.parameter | Where-Object name -EQ 'IntervalMs').description.Text | Should -BeLike 'Milliseconds between two replies*'
    }

    It 'removes the commands with the module' {
        $throwaway = Import-RpcPluginCommand -Session $session -Service Mirror -Prefix Mirrored
        Get-Command Invoke-MirroredReverse | Should -Not -BeNullOrEmpty
        $throwaway | Remove-Module
        Get-Command Invoke-MirroredReverse -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses two methods that would become the same command' {
        { Import-RpcPluginCommand -Session $session -Prefix Same -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.InvalidArgument,*' -ExpectedMessage '*Invoke-SameUnary*'
    }
}
