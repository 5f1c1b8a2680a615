BeforeDiscovery {
    # Every table view of the format file: each must be covered below, so a new view cannot skip these tests.
    $formatFile = Join-Path $PSScriptRoot '../../module/RpcPlugin.Format.ps1xml'
    [xml] $format = Get-Content -Raw $formatFile
    $tableViews = foreach ($view in $format.Configuration.ViewDefinitions.View) {
        if ($view.TableControl) {
            # A view selected by several type names (tfplugin6 and tfplugin5) is tested with the first.
            @{ TypeName = @($view.ViewSelectedBy.TypeName)[0]; Labels = @($view.TableControl.TableHeaders.TableColumnHeader.Label) }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $first = Start-TestPlugin -Parameters @{ Name = 'format-one' }
    $second = Start-TestPlugin -Parameters @{ Name = 'format-two-with-a-long-name' }
    . (Join-Path $PSScriptRoot 'TerraformHelpers.ps1')
    $provider = Start-RpcPlugin $Provider -Terraform -Name 'format-provider' -ProtocolVersion 6
    $schema = Invoke-RpcPluginMethod $provider GetProviderSchema @{}
    $null = Invoke-RpcPluginMethod $first testplugin.Echo/Log @{ level = 'info'; message = 'a log line long enough to need more than the columns an eighty-column console has left for it'; reply_after_ms = 200 }

    # What each view shows, from both sessions where the objects belong to a session.
    $samples = @{
        'RpcPlugin.RpcPluginSession' = { Get-RpcPlugin }
        'RpcPlugin.RpcPluginLogEntry' = { Get-RpcPluginLog $first }
        'RpcPlugin.HealthResult' = { Test-RpcPlugin $first -Detailed; Test-RpcPlugin $second -Detailed }
        'RpcPlugin.RpcServiceInfo' = { Get-RpcPluginService -Session $first; Get-RpcPluginService -Session $second }
        'RpcPlugin.RpcMethodInfo' = { Get-RpcPluginMethod -Session $first; Get-RpcPluginMethod -Session $second }
        'RpcPlugin.RpcMessageTypeInfo' = { Get-RpcPluginMessageType -Session $first; Get-RpcPluginMessageType -Session $second }
        'RpcPlugin.Message#tfplugin6.Schema.Attribute' = { $schema.resource_schemas.Values | ForEach-Object { $_.block.attributes } }
        'RpcPlugin.Message#tfplugin6.Schema.NestedBlock' = { $schema.resource_schemas.Values | ForEach-Object { $_.block.block_types } }
    }

    function Get-Lines([object[]] $Objects, [int] $Width) {
        # Default formatting, as the console shows it (Out-String -Width sets the console width).
        @(($Objects | Out-String -Width $Width) -split '\r?\n')
    }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
    Wait-ProcessGone $first.ProcessId | Should -BeTrue
    Wait-ProcessGone $second.ProcessId | Should -BeTrue
    Wait-ProcessGone $provider.ProcessId | Should -BeTrue
}

Describe 'The table view of <TypeName>' -ForEach $tableViews {
    BeforeAll {
        $samples.ContainsKey($TypeName) | Should -BeTrue -Because "Formats.Tests.ps1 needs sample objects for the view of $TypeName"
        $objects = @(& $samples[$TypeName])
        $objects.Count | Should -BeGreaterThan 0
        $objects[0].PSObject.TypeNames | Should -Contain $TypeName
    }

    It 'fits 80 columns with every column and its header on one line' {
        $lines = Get-Lines $objects 80
        ($lines | Measure-Object -Maximum Length).Maximum | Should -BeLessOrEqual 80
        $header = $lines | Where-Object { $_ -match "^\s*$([regex]::Escape($Labels[0]))\s" } | Select-Object -First 1
        $header | Should -Not -BeNullOrEmpty -Because ($lines -join "`n")
        $expected = ($Labels | ForEach-Object { [regex]::Escape($_) }) -join '\s+'
        $header.Trim() | Should -Match "^$expected$" -Because "every column is there, in order, none wrapped:`n$($lines -join "`n")"
    }

    It 'shows more on a wider console of what 80 columns cut' {
        $narrow = Get-Lines $objects 80
        $wide = Get-Lines $objects 250
        $cutNarrow = @($narrow | Where-Object { $_ -like '*…*' }).Count
        if ($cutNarrow -eq 0) {
            ($wide | Measure-Object -Maximum Length).Maximum | Should -BeGreaterOrEqual ($narrow | Measure-Object -Maximum Length).Maximum
            return
        }
        ($wide | Measure-Object -Maximum Length).Maximum | Should -BeGreaterThan ($narrow | Measure-Object -Maximum Length).Maximum
        @($wide | Where-Object { $_ -like '*…*' }).Count | Should -BeLessThan $cutNarrow -Because 'a wider console cuts fewer values'
    }
}

Describe 'Tables of what sessions serve say which session' {
    It 'groups <Command> by session' -ForEach @(
        @{ Command = 'Get-RpcPluginService' }
        @{ Command = 'Get-RpcPluginMethod' }
        @{ Command = 'Get-RpcPluginMessageType' }
    ) {
        $text = @(& $Command -Session $first) + @(& $Command -Session $second) | Out-String -Width 120
        $text | Should -Match '(?m)^\s+(Session|Service|File): .*format-one'
        $text | Should -Match '(?m)^\s+(Session|Service|File): .*format-two-with-a-long-name'
    }

    It 'heads the method table''s type columns with the property names' {
        $text = Get-RpcPluginMethod -Session $first -Service Mirror | Out-String -Width 120
        $text | Should -Match '(?m)^\s+Service: testplugin\.Mirror \(session format-one\)$'
        $text | Should -Match '(?m)^Kind\s+Name\s+RequestType\s+ResponseType\s*$'
        $text | Should -Match '(?m)^DuplexStreaming\s+Reverse\s+testplugin\.EchoRequest\s+testplugin\.EchoReply\s*$'
    }
}
