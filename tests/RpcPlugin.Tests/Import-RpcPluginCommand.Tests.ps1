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
