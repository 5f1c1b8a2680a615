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
        } -ArgumentList $session, $env:RPCPLUGIN_MODULE
        $message = $job | Wait-Job -Timeout 120 | Receive-Job
        $job | Remove-Job -Force
        $message | Should -BeLike "*'the-only-one'*another process*lives in the PowerShell process that started it*"
    }
}
