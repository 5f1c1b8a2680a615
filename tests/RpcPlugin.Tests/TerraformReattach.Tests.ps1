# Connect-RpcPlugin to a Terraform provider that something else started: the test provider in debug mode, as a
# developer runs one under a debugger, attached by the TF_REATTACH_PROVIDERS value it prints and by its address, on
# protocols 6 and 5. The provider outlives the sessions that detach from it; the tests end it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'TerraformHelpers.ps1')
}

Describe 'Connect-RpcPlugin to a provider in debug mode, protocol <Version>' -ForEach @(@{ Version = 6 }, @{ Version = 5 }) {
    BeforeAll {
        $debug = Start-DebugProvider -Version $Version
    }

    AfterAll {
        Get-RpcPlugin | Stop-RpcPlugin
        Stop-DebugProvider $debug
    }

    It 'attaches by the printed TF_REATTACH_PROVIDERS value as a Terraform session, and drives the provider with hashtables' {
        $debug.Output | Should -Match 'PowerShell:\s+\$env:TF_REATTACH_PROVIDERS='''
        $session = Connect-RpcPlugin -ReattachConfig $debug.Value

        $session.Terraform | Should -BeTrue
        $session.Owned | Should -BeFalse
        $session.Name | Should -Be 'registry.terraform.io/rpcplugin/rpcplugin'
        $session.ProtocolVersion | Should -Be $Version
        $session.ProcessId | Should -Be $debug.Process.Id
        $session.Services | Should -Be "tfplugin$Version.Provider"

        (Invoke-RpcPluginMethod $session (Get-Call $session GetProviderSchema)).resource_schemas['rpcplugin_thing'].block.attributes[3].type | Should -Be 'map(string)'
        $null = Invoke-RpcPluginMethod $session (Get-Call $session ConfigureProvider) @{ config = @{ endpoint = 'debug' } } -ErrorAction Stop
        (Invoke-RpcPluginMethod $session (Get-Call $session ReadDataSource) @{ type_name = 'rpcplugin_echo'; config = @{ input = 'hello' } } -ErrorAction Stop).state.output | Should -Be 'hello'
        $config = @{ name = 'debugged' }
        $plan = Invoke-RpcPluginMethod $session (Get-Call $session PlanResourceChange) @{ type_name = 'rpcplugin_thing'; config = $config; proposed_new_state = $config } -ErrorAction Stop
        $applied = Invoke-RpcPluginMethod $session (Get-Call $session ApplyResourceChange) @{ type_name = 'rpcplugin_thing'; config = $config; planned_state = $plan.planned_state } -ErrorAction Stop
        $applied.new_state.id | Should -Be 'thing-debugged'
        (Invoke-RpcPluginMethod $session (Get-Call $session ImportResourceState) @{ type_name = 'rpcplugin_thing'; id = 'thing-debugged' }).imported_resources[0].state.name | Should -Be 'debugged'

        $session | Stop-RpcPlugin
        Test-ProcessGone $debug.Process.Id | Should -BeFalse -Because 'detaching leaves a provider the session does not own running'
    }

    It 'finds the protocol of a provider given only by its address (-Address -Terraform), and -Terraform:$false attaches without it' {
        $reattach = ($debug.Value | ConvertFrom-Json -AsHashtable).Values | Select-Object -First 1
        $session = Connect-RpcPlugin -Address "unix://$($reattach.Addr.String)" -Terraform -Name by-address

        $session.Terraform | Should -BeTrue
        $session.ProtocolVersion | Should -Be $Version
        (Invoke-RpcPluginMethod $session (Get-Call $session ReadDataSource) @{ type_name = 'rpcplugin_echo'; config = @{ text = 'x' } } -ErrorAction Stop).state.text | Should -Be 'x'
        $session | Stop-RpcPlugin

        $plain = Connect-RpcPlugin -ReattachConfig $debug.Value -Terraform:$false -NoReflection
        $plain.Terraform | Should -BeFalse
        $plain | Stop-RpcPlugin
    }

    It 'stops the provider with Stop-RpcPlugin -Force' {
        $session = Connect-RpcPlugin -ReattachConfig $debug.Value
        $session | Stop-RpcPlugin -Force
        Wait-ProcessGone $debug.Process.Id | Should -BeTrue
        $debug.Process.WaitForExit(10000) | Should -BeTrue
    }
}
