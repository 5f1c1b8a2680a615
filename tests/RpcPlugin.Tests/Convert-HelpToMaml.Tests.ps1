# docs/Convert-HelpToMaml.ps1, which turns docs/help into the module's MAML and about topics: a round trip through
# Get-Help, and the malformed markdown it must refuse. Help.Tests.ps1 checks the module's own help.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $converter = Join-Path $repoRoot 'docs/Convert-HelpToMaml.ps1'
}

Describe 'Convert-HelpToMaml' {
    BeforeAll {
        $valid = @'
# Test-HelpRoundTrip

## SYNOPSIS
Does nothing, *carefully*, for the round-trip test.

## DESCRIPTION
First paragraph of the description, with `code` and a [link](Other.md)
that continues on a second line.

- one item
- another item

## PARAMETERS

### -Path
Paths to nothing in particular.

Default value: the current location

### -Force
Forces nothing.

### -Delay
How long not to wait.

## EXAMPLES

### Example 1: The simplest use
```powershell
Test-HelpRoundTrip ./here
```

Shows the simplest use.

### Example 2: From the pipeline
```powershell
'a', 'b' | Test-HelpRoundTrip -Force
$x = 1
```

Pipes two paths.

## INPUTS

### System.String[]
Paths.

## OUTPUTS

### None
Nothing.

## NOTES
- RpcPlugin.Nothing: never happens.

## RELATED LINKS
- [about_Nothing](about_Nothing.md)
- [Example site](https://example.invalid/help)
'@

        $about = @'
# about_RoundTrip

## SHORT DESCRIPTION
A short description that is long enough to need wrapping when it is laid out at eighty columns of text.

## LONG DESCRIPTION
Text.

| Name | Meaning |
| --- | --- |
| A | the first letter, described at such length that the column has to wrap onto more lines |
| BB | second |

```powershell
Get-Thing -Name x
```

### A subsection
- an item
'@

        function New-HelpDirectory([hashtable] $Files) {
            $directory = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory $directory
            foreach ($name in $Files.Keys) { Set-Content -LiteralPath (Join-Path $directory $name) -Value $Files[$name] }
            $directory
        }

        $roundTrip = New-HelpDirectory @{ 'Test-HelpRoundTrip.md' = $valid; 'about_RoundTrip.md' = $about }
        $output = Join-Path $TestDrive 'roundtrip-out'
        $maml = Join-Path $output 'Test-HelpRoundTrip-Help.xml'

        # A throwaway function whose help is the converted MAML (.EXTERNALHELP), defined before the conversion so
        # the converter can read its metadata.
        . ([scriptblock]::Create(@"
function Test-HelpRoundTrip {
    # .EXTERNALHELP $maml
    [CmdletBinding(DefaultParameterSetName = 'Run')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline)] [SupportsWildcards()] [string[]] `$Path,
        [switch] `$Force,
        [Alias('Wait')] [timespan] `$Delay
    )
    process { }
}
"@))
        & $converter -Source $roundTrip -Destination $output -MamlFileName 'Test-HelpRoundTrip-Help.xml'
        $help = Get-Help Test-HelpRoundTrip -Full
    }

    It 'writes MAML that Get-Help reads: synopsis and description' {
        $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
        $help.Synopsis | Should -Be 'Does nothing, *carefully*, for the round-trip test.'
        $help.description.Text[0].Trim() | Should -Be 'First paragraph of the description, with code and a link that continues on a second line.'
        $help.description.Text[1].Trim() | Should -Be "- one item`n- another item"
    }

    It 'takes parameter facts from the command and text from the markdown' {
        $path = $help.parameters.parameter | Where-Object name -EQ Path
        $path.required | Should -Be 'true'
        $path.position | Should -Be '0'
        $path.pipelineInput | Should -Be 'True (ByValue)'
        $path.globbing | Should -Be 'true'
        $path.defaultValue | Should -Be 'the current location'
        $path.description.Text.Trim() | Should -Be 'Paths to nothing in particular.'
        $delay = $help.parameters.parameter | Where-Object name -EQ Delay
        $delay.aliases | Should -Be 'Wait'
        $delay.position | Should -Be 'named'
        ($help.parameters.parameter | Where-Object name -EQ Force).defaultValue | Should -Be 'False'
    }

    It 'generates the syntax from the command' {
        $syntax = ($help.syntax | Out-String).Trim()
        $syntax | Should -BeLike 'Test-HelpRoundTrip `[-Path`] <string`[`]> `[-Force`] `[-Delay <timespan>`]*'
    }

    It 'keeps examples, inputs, outputs, notes and links' {
        @($help.examples.example).Count | Should -Be 2
        $help.examples.example[1].title | Should -Match 'Example 2: From the pipeline'
        $help.examples.example[1].code | Should -Be "'a', 'b' | Test-HelpRoundTrip -Force`n`$x = 1"
        $help.examples.example[1].remarks.Text[0].Trim() | Should -Be 'Pipes two paths.'
        $help.inputTypes.inputType.type.name | Should -Be 'System.String[]'
        $help.returnValues.returnValue.type.name | Should -Be 'None'
        $help.alertSet.alert.Text.Trim() | Should -Be '- RpcPlugin.Nothing: never happens.'
        $help.relatedLinks.navigationLink.linkText | Should -Be @('about_Nothing', 'Example site')
        $help.relatedLinks.navigationLink[1].uri | Should -Be 'https://example.invalid/help'
    }

    It 'writes well-formed MAML in the MAML namespaces' {
        [xml] $xml = Get-Content -Raw $maml
        $xml.helpItems.schema | Should -Be 'maml'
        $xml.helpItems.command.NamespaceURI | Should -Be 'http://schemas.microsoft.com/maml/dev/command/2004/10'
        $xml.helpItems.command.details.name | Should -Be 'Test-HelpRoundTrip'
    }

    It 'lays out about topics as about_*.help.txt files' {
        $text = Get-Content -Raw (Join-Path $output 'about_RoundTrip.help.txt')
        $lines = $text -split "`n"
        $lines[0..1] | Should -Be @('TOPIC', '    about_RoundTrip')
        $lines | Should -Contain 'SHORT DESCRIPTION'
        $lines | Should -Contain '    A subsection'
        $lines | Should -Contain '    - an item'
        $lines | Should -Contain '        Get-Thing -Name x'
        $lines | Should -Contain '    Name  Meaning'
        $lines | Should -Contain '    BB    second'
        ($lines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
    }

    It 'writes the same bytes when run again' {
        $again = Join-Path $TestDrive 'roundtrip-again'
        & $converter -Source $roundTrip -Destination $again -MamlFileName 'Test-HelpRoundTrip-Help.xml'
        (Get-FileHash (Join-Path $again 'Test-HelpRoundTrip-Help.xml')).Hash | Should -Be (Get-FileHash $maml).Hash
    }

    It 'only warns about a documented parameter the command does not have (the help test catches it)' {
        $extra = $valid -replace '### -Delay', "### -Nonexistent`nNot a parameter.`n`n### -Delay"
        $directory = New-HelpDirectory @{ 'Test-HelpRoundTrip.md' = $extra }
        & $converter -Source $directory -Destination (Join-Path $directory 'out') -MamlFileName 'x.xml' -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Message | Should -Match 'no parameter -Nonexistent'
    }

    It 'fails on <Case>' -ForEach @(
        @{ Case = 'an unknown section'; Pattern = '## NOTES'; Replacement = '## REMARKS'; Message = "*Test-HelpRoundTrip.md:*unknown section '## REMARKS'*" }
        @{ Case = 'a SYNTAX section'; Pattern = '## PARAMETERS'; Replacement = "## SYNTAX`nTest-HelpRoundTrip [-Path] <string[]>`n`n## PARAMETERS"; Message = '*SYNTAX*generated*' }
        @{ Case = 'sections out of order'; Pattern = '(?s)(## NOTES\n.*?)(## RELATED LINKS\n.*)$'; Replacement = ('$2' + "`n`n" + '$1'); Message = '*out of order*' }
        @{ Case = 'a missing description'; Pattern = "(?s)## DESCRIPTION.*?(?=## PARAMETERS)"; Replacement = ''; Message = "*required section '## DESCRIPTION' is missing*" }
        @{ Case = 'a title that is not the file name'; Pattern = '# Test-HelpRoundTrip'; Replacement = '# Test-Other'; Message = '*does not match the file name*' }
        @{ Case = 'a parameter heading without a dash'; Pattern = '### -Force'; Replacement = '### Force'; Message = "*'### -Name'*" }
        @{ Case = 'a parameter without a description'; Pattern = 'Forces nothing.'; Replacement = ''; Message = '*-Force has no description*' }
        @{ Case = 'an example without code'; Pattern = "(?s)``````powershell\nTest-HelpRoundTrip ./here\n``````\n"; Replacement = ''; Message = '*example 1 needs exactly one fenced code block*' }
        @{ Case = 'an example without explanation'; Pattern = 'Shows the simplest use.'; Replacement = ''; Message = '*example 1 has no explanation*' }
        @{ Case = 'examples numbered wrongly'; Pattern = 'Example 2:'; Replacement = 'Example 3:'; Message = '*should be numbered 2*' }
        @{ Case = 'an unclosed code fence'; Pattern = "(?s)\n``````\n\nPipes two paths."; Replacement = "`n`nPipes two paths."; Message = '*never closed*' }
        @{ Case = 'a fourth heading level'; Pattern = 'Forces nothing.'; Replacement = "Forces nothing.`n`n#### Details"; Message = '*heading level 4*' }
        @{ Case = 'a code block outside the examples'; Pattern = 'Forces nothing.'; Replacement = "Forces nothing.`n`n``````powershell`nx`n``````"; Message = '*code block in the help of -Force*' }
        @{ Case = 'a related link that is not a list item'; Pattern = '- \[Example site\]'; Replacement = '[Example site]'; Message = '*RELATED LINKS takes only list items*' }
        @{ Case = 'help for a command that does not exist'; Pattern = 'Test-HelpRoundTrip'; Replacement = 'Test-NoSuchCommand'; File = 'Test-NoSuchCommand.md'; Message = "*there is no command 'Test-NoSuchCommand'*" }
    ) {
        $broken = [regex]::Replace(($valid -replace "`r`n", "`n"), $Pattern, $Replacement)
        $broken | Should -Not -Be $valid -Because 'the case must change the markdown'
        $directory = New-HelpDirectory @{ $(if ($File) { $File } else { 'Test-HelpRoundTrip.md' }) = $broken }
        { & $converter -Source $directory -Destination (Join-Path $directory 'out') -MamlFileName 'x.xml' -WarningAction SilentlyContinue } |
            Should -Throw -ExpectedMessage $Message
        Join-Path $directory 'out/x.xml' | Should -Not -Exist
    }

    It 'fails on an about topic without SHORT DESCRIPTION' {
        $directory = New-HelpDirectory @{ 'about_RoundTrip.md' = ($about -replace '## SHORT DESCRIPTION', '## SUMMARY') }
        { & $converter -Source $directory -Destination (Join-Path $directory 'out') } | Should -Throw -ExpectedMessage "*SHORT DESCRIPTION*"
    }

    It 'reports every problem of every file at once' {
        $directory = New-HelpDirectory @{
            'Test-HelpRoundTrip.md' = ($valid -replace '## NOTES', '## REMARKS' -replace 'Shows the simplest use.', '')
            'about_RoundTrip.md'    = ($about -replace '## LONG DESCRIPTION', '## DETAILS')
        }
        $err = { & $converter -Source $directory -Destination (Join-Path $directory 'out') -MamlFileName 'x.xml' } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match '3 problem'
        $err.Exception.Message | Should -Match 'about_RoundTrip.md'
        $err.Exception.Message | Should -Match 'Test-HelpRoundTrip.md:\d+: example 1 has no explanation'
    }

    It 'exits with a non-zero code when run as a script file on malformed help' {
        $directory = New-HelpDirectory @{ 'about_RoundTrip.md' = ($about -replace '## LONG DESCRIPTION', '## DETAILS') }
        $run = Invoke-FreshPwsh -File $converter -ArgumentList '-Source', $directory, '-Destination', (Join-Path $directory 'out')
        $run.ExitCode | Should -Not -Be 0
        $run.Output + $run.Errors | Should -Match 'LONG DESCRIPTION'
    }
}
