BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # The runspace's only session: a command given -Session $null must not fall back to it.
    $session = Start-TestPlugin -Parameters @{ Name = 'the-only-one' }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
    Test-ProcessGone $session.ProcessId | Should -BeTrue
}

Describe '-Session $null is an error, never the default session' {
    It '<Command> -Session $null says the session is $null' -ForEach @(
        @{ Command = { param($s) Test-RpcPlugin -Session $s } }
        @{ Command = { param($s) Test-RpcPlugin $s } }
        @{ Command = { param($s) Get-RpcPluginMethod -Session $s } }
        @{ Command = { param($s) Get-RpcPluginService -Session $s } }
        @{ Command = { param($s) Get-RpcPluginLog -Session $s } }
        @{ Command = { param($s) Get-RpcPluginLog $s } }
        @{ Command = { param($s) Import-RpcPluginCommand -Session $s } }
        @{ Command = { param($s) New-RpcPluginMessage -Session $s -Method testplugin.Echo/Unary } }
        @{ Command = { param($s) Invoke-RpcPluginMethod $s testplugin.Echo/Unary @{} } }
        @{ Command = { param($s) Stop-RpcPlugin -Session $s } }
        @{ Command = { param($s) Stop-RpcPlugin $s } }
    ) {
        $err = { & $Command $null } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $err.Exception.Message | Should -BeLike '*session is $null*Start-RpcPlugin*'
    }

    It 'still uses the only session when -Session is not given at all' {
        Test-RpcPlugin | Should -BeTrue
    }
}

Describe 'A session that crossed into another process' {
    It 'gets a message saying sessions live in their process' {
        $job = Start-Job -ScriptBlock {
            param($copy, $module)
            Import-Module $module
            try { Test-RpcPlugin -Session $copy -ErrorAction Stop } catch { $_.Exception.Message }
            try { Stop-RpcPlugin -Session $copy -ErrorAction Stop } catch { $_.Exception.Message }
        } -ArgumentList $session, $env:RPCPLUGIN_MODULE
        $messages = $job | Wait-Job -Timeout 120 | Receive-Job
        $job | Remove-Job -Force
        $messages.Count | Should -Be 2
        $messages | Should -BeLike "*'the-only-one'*another process*lives in the PowerShell process that started it*"
    }
}

Describe 'Durations: one range for every timeout, refused at binding' {
    BeforeDiscovery {
        $commands = @(
            @{ Name = 'Invoke-RpcPluginMethod -Timeout'; Command = { param($v) Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ message = 'm' } -Timeout $v } }
            @{ Name = 'Test-RpcPlugin -Timeout'; Command = { param($v) Test-RpcPlugin $session -Timeout $v } }
            @{ Name = 'Connect-RpcPlugin -Timeout'; Command = { param($v) Connect-RpcPlugin -Address 'unix:///no/such/socket' -Timeout $v } }
            @{ Name = 'Start-RpcPlugin -StartTimeout'; Command = { param($v) Start-RpcPlugin $TestPlugin -StartTimeout $v } }
            @{ Name = 'Use-RpcPlugin -StartTimeout'; Command = { param($v) Use-RpcPlugin $TestPlugin { 'ran' } -StartTimeout $v } }
            @{ Name = 'Stop-RpcPlugin -Timeout'; Command = { param($v) Stop-RpcPlugin -Name 'no-such-session' -Timeout $v -ErrorAction Stop } }
        )
        $tooLong = foreach ($value in 900000000000, 9e11, 5184000, '9999999999h', '2073601s', [timespan]::MaxValue) {
            foreach ($command in $commands) { $command + @{ Value = $value } }
        }
        $notPositive = foreach ($value in 0, '0s', '00:00:00', -1, [timespan]::FromSeconds(-1)) {
            foreach ($command in $commands) { $command + @{ Value = $value } }
        }
    }

    It '<Name> <Value> is refused, stating the range' -ForEach $tooLong {
        $err = { & $Command $Value } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $err.Exception.Message | Should -BeLike '*at most 24 days (2073600 s*'
    }

    It '<Name> <Value> is refused: a wait of no time always fails' -ForEach ($notPositive | Where-Object Name -NE 'Stop-RpcPlugin -Timeout') {
        $err = { & $Command $Value } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $err.Exception.Message | Should -BeLike '*more than 0*at most 24 days*'
    }

    It 'says that an unquoted 0.2s is PowerShell''s [short] 0' {
        $err = { Test-RpcPlugin $session -Timeout 0.2s } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $err.Exception.Message | Should -BeLike "*[[]short]*quote it, '0.2s'*"
    }

    It 'Stop-RpcPlugin -Timeout <Value> is refused; 0 is not, it skips the wait' -ForEach @(
        @{ Value = -1 }
        @{ Value = [timespan]::FromSeconds(-1) }
    ) {
        $err = { Stop-RpcPlugin -Name 'no-such-session' -Timeout $Value -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $err.Exception.Message | Should -BeLike '*0 (no wait) or more*at most 24 days*'
    }

    It 'takes the longest wait, 24 days, in every command that waits' {
        $other = Start-TestPlugin -Parameters @{ Name = 'long-waits'; StartTimeout = '576h' }
        try {
            Test-RpcPlugin $other -Timeout '576h' | Should -BeTrue
            (Invoke-RpcPluginMethod $other testplugin.Echo/Unary @{ message = 'm' } -Timeout 2073600).message | Should -Be 'm'
        } finally {
            Stop-RpcPlugin $other -Timeout 2073600
        }
        Test-ProcessGone $other.ProcessId | Should -BeTrue
        Get-RpcPlugin -Name 'long-waits' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Stop-RpcPlugin -Timeout 0 stops at once' {
        $other = Start-TestPlugin -Parameters @{ Name = 'no-wait' }
        Stop-RpcPlugin $other -Timeout 0
        Wait-ProcessGone $other.ProcessId | Should -BeTrue
    }
}

Describe 'Session names: an exact name wins over wildcards' {
    BeforeAll {
        $bracketed = Start-TestPlugin -Parameters @{ Name = 'web[1]' }
        $plain = Start-TestPlugin -Parameters @{ Name = 'web1' }
    }

    AfterAll {
        $bracketed, $plain | Where-Object { $_ } | Stop-RpcPlugin
    }

    It 'Get-RpcPlugin -Name finds only the session of that exact name' {
        @(Get-RpcPlugin -Name 'web[1]').Name | Should -Be @('web[1]')
    }

    It 'Get-RpcPlugin by property name finds only the piped session' {
        @($bracketed | Get-RpcPlugin).Name | Should -Be @('web[1]')
    }

    It '-SessionName selects the session of that exact name' {
        (Test-RpcPlugin -SessionName 'web[1]' -Detailed -ErrorAction Stop).Session | Should -Be 'web[1]'
    }

    It 'a name that is no session''s is still a wildcard' {
        @(Get-RpcPlugin -Name 'web*' | Sort-Object Name).Name | Should -Be @('web[1]', 'web1')
        @(Get-RpcPlugin -Name 'web[0-9]').Name | Should -Be @('web1')
    }

    It 'Stop-RpcPlugin -Name stops only the session of that exact name' {
        @(Stop-RpcPlugin -Name 'web[1]' -PassThru).Name | Should -Be @('web[1]')
        (Get-RpcPlugin -Name 'web1').State | Should -Be 'Ready'
        Wait-ProcessGone $bracketed.ProcessId | Should -BeTrue
    }
}

Describe 'A wildcard pattern that is not valid is an InvalidArgument naming the parameter' {
    It '<Case>' -ForEach @(
        @{ Case = 'Get-RpcPlugin -Name'; Parameter = '-Name'; Command = { Get-RpcPlugin -Name '[' -ErrorAction Stop } }
        @{ Case = 'Stop-RpcPlugin -Name'; Parameter = '-Name'; Command = { Stop-RpcPlugin -Name '[' -ErrorAction Stop } }
        @{ Case = 'Test-RpcPlugin -SessionName'; Parameter = '-SessionName'; Command = { Test-RpcPlugin -SessionName '[' -ErrorAction Stop } }
        @{ Case = 'Invoke-RpcPluginMethod -SessionName'; Parameter = '-SessionName'; Command = { Invoke-RpcPluginMethod testplugin.Echo/Unary @{} -SessionName 'x[' -ErrorAction Stop } }
        @{ Case = 'Get-RpcPluginService -Name'; Parameter = '-Name'; Command = { Get-RpcPluginService -Session $session -Name '[' -ErrorAction Stop } }
        @{ Case = 'Get-RpcPluginMethod -Name'; Parameter = '-Name'; Command = { Get-RpcPluginMethod -Session $session -Name '[' -ErrorAction Stop } }
        @{ Case = 'Get-RpcPluginMethod -Service'; Parameter = '-Service'; Command = { Get-RpcPluginMethod -Session $session -Service 'a[b' -ErrorAction Stop } }
        @{ Case = 'Get-RpcPluginMessageType -Name'; Parameter = '-Name'; Command = { Get-RpcPluginMessageType -Session $session -Name '[' -ErrorAction Stop } }
        @{ Case = 'Import-RpcPluginCommand -Service'; Parameter = '-Service'; Command = { Import-RpcPluginCommand -Session $session -Service '[' -ErrorAction Stop } }
    ) {
        $err = { & $Command } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidArgument,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike "*$Parameter '*' is not a valid wildcard pattern*"
        # How to write a '[' literally: with a backtick, or as the range [[].
        $err.Exception.Message.Contains('`[') | Should -BeTrue
        $err.Exception.Message.Contains('[[]') | Should -BeTrue
    }
}
