BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Use-RpcPlugin' {
    It 'passes the session as $_ and $args[0], returns the output, and stops the plugin' {
        $output = Use-RpcPlugin $TestPlugin {
            $_.State
            $args[0].Name
            $_.ProcessId
        } -ProtocolVersion 2 -Name scoped

        $output[0] | Should -Be 'Ready'
        $output[1] | Should -Be 'scoped'
        Wait-ProcessGone $output[2] | Should -BeTrue
        Get-RpcPlugin | Should -BeNullOrEmpty
    }

    It 'binds the session to a param block' {
        $state = Use-RpcPlugin $TestPlugin { param($session) $session.State } -ProtocolVersion 2
        $state | Should -Be 'Ready'
    }

    It 'streams output while the block runs' {
        $seen = [System.Collections.Generic.List[string]]::new()
        Use-RpcPlugin $TestPlugin { 'first'; Start-Sleep -Milliseconds 300; 'second' } -ProtocolVersion 2 |
            ForEach-Object { $seen.Add("$_ at $((Get-RpcPlugin).State)") }

        $seen | Should -Be @('first at Ready', 'second at Ready')
    }

    It 'stops the plugin even when the block throws' {
        $script:pluginPid = $null
        { Use-RpcPlugin $TestPlugin { $script:pluginPid = $_.ProcessId; throw 'boom' } -ProtocolVersion 2 } | Should -Throw '*boom*'

        $script:pluginPid | Should -BeGreaterThan 0
        Wait-ProcessGone $script:pluginPid | Should -BeTrue
        Get-RpcPlugin | Should -BeNullOrEmpty
    }

    It 'passes errors written by the block through' {
        $ErrorActionPreference = 'Continue'
        $errors = @()
        Use-RpcPlugin $TestPlugin { Write-Error 'soft failure'; 'after' } -ProtocolVersion 2 -ErrorVariable errors -ErrorAction SilentlyContinue |
            Should -Be 'after'
        $errors.Count | Should -Be 1
    }

    It 'fails to start like Start-RpcPlugin does' {
        { Use-RpcPlugin $TestPlugin { 'never' } -Environment @{ TESTPLUGIN_MODE = 'exit-early' } -MaxRetries 0 } |
            Should -Throw -ErrorId 'RpcPlugin.PluginExited,*'
    }
}
