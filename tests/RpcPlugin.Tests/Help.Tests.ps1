BeforeDiscovery {
    # The commands and parameters to check come from the built module itself, so a new cmdlet or parameter without
    # help fails here without anyone having to list it.
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $commandCases = foreach ($command in Get-Command -Module RpcPlugin -CommandType Cmdlet, Function | Sort-Object Name) {
        @{
            Name       = $command.Name
            Parameters = @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object | ForEach-Object { @{ Parameter = $_ } })
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $helpSource = Join-Path $repoRoot 'docs/help'
    $converter = Join-Path $repoRoot 'docs/Convert-HelpToMaml.ps1'
    $moduleBase = (Get-Module RpcPlugin).ModuleBase

    function Get-MarkdownParameterName([string] $Path) {
        # The '### -Name' headings under '## PARAMETERS' of a command's markdown help.
        $section = $null
        foreach ($line in Get-Content -LiteralPath $Path) {
            if ($line -match '^##\s+(.+?)\s*$') { $section = $Matches[1] }
            elseif ($section -eq 'PARAMETERS' -and $line -match '^###\s+-(\w+)\s*$') { $Matches[1] }
        }
    }

    function Get-ParameterFact($Command, [string] $Name) {
        # What Get-Help should say about a parameter, from the cmdlet's own metadata.
        $infos = @($Command.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -EQ $Name })
        $pipeline = @()
        if ($infos | Where-Object ValueFromPipeline) { $pipeline += 'ByValue' }
        if ($infos | Where-Object ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
        $positions = @($infos | ForEach-Object { if ($_.Position -lt 0) { 'named' } else { "$($_.Position)" } } | Select-Object -Unique)
        $mandatory = @($infos | ForEach-Object IsMandatory | Select-Object -Unique)
        [pscustomobject]@{
            Pipeline = $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' })
            Position = $(if ($positions.Count -eq 1) { $positions[0] } else { $null })
            Required = $(if ($mandatory.Count -eq 1) { "$($mandatory[0])".ToLowerInvariant() } else { $null })
            Globbing = "$([bool]($Command.Parameters[$Name].Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }))".ToLowerInvariant()
        }
    }

    function Test-Generated([string] $Text, [string] $Name) {
        # Help PowerShell makes up for a command without any: the synopsis is the syntax line.
        [string]::IsNullOrWhiteSpace($Text) -or $Text.Trim().StartsWith("$Name ") -or $Text.Trim() -eq $Name
    }
}

Describe 'Help of <Name>' -ForEach $commandCases {
    BeforeAll {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        $markdown = Join-Path $helpSource "$Name.md"
    }

    It 'comes from the MAML file, not generated from the syntax' {
        $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
    }

    It 'has a synopsis' {
        Test-Generated $help.Synopsis $Name | Should -BeFalse -Because 'the synopsis should say what the command does'
        $help.Synopsis.Length | Should -BeGreaterThan 20
    }

    It 'has a description' {
        $text = ($help.description.Text -join "`n").Trim()
        $text.Length | Should -BeGreaterThan 80
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty -Because $example.title
            ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs an explanation"
        }
    }

    It 'documents -<Parameter>' -ForEach $Parameters {
        $entry = @($help.parameters.parameter | Where-Object name -EQ $Parameter)
        $entry.Count | Should -Be 1 -Because "Get-Help $Name -Parameter $Parameter should find it"
        ($entry[0].description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$Parameter needs a description"
        $fact = Get-ParameterFact $command $Parameter
        $entry[0].pipelineInput | Should -Be $fact.Pipeline -Because 'the help is generated from the cmdlet and must not be stale'
        $entry[0].globbing | Should -Be $fact.Globbing
        if ($fact.Position) { $entry[0].position | Should -Be $fact.Position }
        if ($fact.Required) { $entry[0].required | Should -Be $fact.Required }
    }

    It 'has a syntax entry per parameter set' {
        @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
    }

    It 'names its inputs and outputs, and links to related help' {
        @($help.inputTypes.inputType).Count | Should -BeGreaterOrEqual 1
        @($help.returnValues.returnValue).Count | Should -BeGreaterOrEqual 1
        @($help.relatedLinks.navigationLink).Count | Should -BeGreaterOrEqual 1
        $help.relatedLinks.navigationLink.linkText | Should -Contain 'about_RpcPlugin'
    }

    It 'has no online help that would open another project''s page' {
        # Get-Help -Online opens the command's HelpUri, else the first related link with a URI; RpcPlugin has no
        # help site, so neither may point anywhere (links to other projects stay in the text).
        $command.HelpUri | Should -BeNullOrEmpty
        @($help.relatedLinks.navigationLink | Where-Object { $_.uri }) | Should -BeNullOrEmpty
    }

    It 'has a markdown source that documents only parameters the command has' {
        $markdown | Should -Exist
        $real = @($command.Parameters.Keys)
        foreach ($documented in Get-MarkdownParameterName $markdown) {
            $real | Should -Contain $documented -Because "$Name.md documents -$documented"
        }
    }
}

Describe 'about_RpcPlugin' {
    BeforeAll {
        $about = Get-Help about_RpcPlugin | Out-String
    }

    It 'is found by Get-Help' {
        $about | Should -Match 'TOPIC\s+about_RpcPlugin'
        $about | Should -Match 'SHORT DESCRIPTION'
        $about | Should -Match 'LONG DESCRIPTION'
    }

    It 'covers <Topic>' -ForEach @(
        @{ Topic = 'sessions and ownership'; Pattern = 'SESSIONS' }
        @{ Topic = 'the type mapping'; Pattern = 'TYPE MAPPING' }
        @{ Topic = 'environment variables'; Pattern = 'ENVIRONMENT VARIABLES' }
        @{ Topic = 'security'; Pattern = 'SECURITY' }
        @{ Topic = 'troubleshooting'; Pattern = 'TROUBLESHOOTING' }
        @{ Topic = 'start timeouts'; Pattern = 'HandshakeTimeout' }
        @{ Topic = 'stdout noise'; Pattern = 'Noise on standard output' }
        @{ Topic = 'magic cookies'; Pattern = 'TF_PLUGIN_MAGIC_COOKIE' }
        @{ Topic = 'TLS'; Pattern = 'RpcPlugin.TlsFailure' }
        @{ Topic = 'missing reflection'; Pattern = '-ProtoFile' }
    ) {
        $about | Should -Match ([regex]::Escape($Pattern))
    }

    It 'documents every environment variable the module reads' {
        $source = Get-Content -Raw (Join-Path $repoRoot 'src/RpcPlugin.Core/Settings/ClientDefaults.cs')
        $names = [regex]::Matches($source, '"(PLUGIN_[A-Z_]+)"') | ForEach-Object { $_.Groups[1].Value } | Select-Object -Unique
        $names | Should -Not -BeNullOrEmpty
        foreach ($name in $names) { $about | Should -Match "\b$name\b" -Because "$name is read by ClientDefaults" }
    }

    It 'documents every error id' {
        $source = Get-Content -Raw (Join-Path $repoRoot 'src/RpcPlugin.Core/Errors/PluginErrorCode.cs')
        $codes = [regex]::Matches($source, '(?m)^\s+(\w+),?\s*$') | ForEach-Object { $_.Groups[1].Value }
        $codes | Should -Not -BeNullOrEmpty
        foreach ($code in $codes) { $about | Should -Match "RpcPlugin\.$code\b" -Because "RpcPlugin.$code is an ErrorId users can hit" }
        $about | Should -Match 'RpcPlugin\.Rpc\.<StatusCode>'
    }
}

Describe 'The shipped help' {
    It 'is what the converter makes of docs/help today' {
        $fresh = Join-Path $TestDrive 'fresh'
        & $converter -Source $helpSource -Destination $fresh -ModulePath $env:RPCPLUGIN_MODULE -WarningAction SilentlyContinue
        foreach ($file in Get-ChildItem $fresh) {
            $shipped = Join-Path $moduleBase "en-US/$($file.Name)"
            $shipped | Should -Exist
            (Get-FileHash $shipped).Hash | Should -Be (Get-FileHash $file.FullName).Hash -Because "$($file.Name) must be regenerated from docs/help (docs/Convert-HelpToMaml.ps1)"
        }
    }
}
