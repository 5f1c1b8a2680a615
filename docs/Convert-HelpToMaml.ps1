#Requires -Version 7.4
<#
.SYNOPSIS
    Converts RpcPlugin's markdown help (docs/help) to MAML and about_*.help.txt files.

.DESCRIPTION
    platyPS is not available here, so the help source is markdown in a small fixed format (docs/help/README.md
    describes it) and this script turns it into what Get-Help reads:

      <Command-Name>.md  ->  one <command:command> in <Destination>/<MamlFileName> (all commands in one MAML file)
      about_<Topic>.md   ->  <Destination>/about_<Topic>.help.txt

    Text (synopsis, descriptions, examples, notes, links) comes from the markdown. Syntax and the facts about each
    parameter (type, required, position, pipeline input, wildcards, aliases) come from the real command metadata:
    the module given by -ModulePath is imported, or, without it, the commands are looked up in the current session.

    The script throws, naming file and line, when the markdown is malformed: an unknown or misplaced section, a
    heading level it does not know, an unclosed code fence, an example without code or explanation, a missing
    synopsis or description, a command the metadata does not have, and so on. All problems of all files are
    reported together. A parameter the command has but the markdown does not document (or the reverse) is only a
    warning here: tests/RpcPlugin.Tests/Help.Tests.ps1 fails on it.

    Run from `dotnet pwsh -File`, a failure exits with code 1. Output is deterministic (UTF-8 without BOM, LF).

.PARAMETER Source
    The directory of markdown files (*.md; a README.md there is ignored).

.PARAMETER Destination
    The directory to write the MAML file and the about topics to (created when missing).

.PARAMETER ModulePath
    A module (psd1 path or name) to import for the command metadata. Without it, commands are looked up with
    Get-Command in the calling session.

.PARAMETER MamlFileName
    The MAML file's name. By default the HelpFile the commands declare (RpcPlugin.dll-Help.xml for the cmdlets of
    RpcPlugin.dll); required when the commands declare none (functions).

.PARAMETER PassThru
    Write the files written (FileInfo) to the pipeline; otherwise nothing is written but warnings (-Verbose lists
    the files).

.EXAMPLE
    dotnet pwsh -NoProfile -File docs/Convert-HelpToMaml.ps1 -Source docs/help -Destination module/en-US -ModulePath out/RpcPlugin/RpcPlugin.psd1
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Source,
    [Parameter(Mandatory)] [string] $Destination,
    [string] $ModulePath,
    [string] $MamlFileName,
    [switch] $PassThru
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$script:Problems = [System.Collections.Generic.List[string]]::new()
$CommandSections = @('SYNOPSIS', 'DESCRIPTION', 'PARAMETERS', 'EXAMPLES', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
$RequiredCommandSections = @('SYNOPSIS', 'DESCRIPTION', 'EXAMPLES')
$AboutWidth = 80

function Add-Problem([string] $File, [int] $Line, [string] $Message) {
    $script:Problems.Add("$([IO.Path]::GetFileName($File)):$($Line): $Message")
}

# ---------------------------------------------------------------------------------------------------------------
# Markdown reading: headings (outside code fences) split a file into a title, sections (##) and subsections (###);
# the text under each is split into blocks: paragraphs, list items, fenced code and tables.
# ---------------------------------------------------------------------------------------------------------------

function Read-HelpFile([string] $Path) {
    $raw = [IO.File]::ReadAllLines($Path)
    $doc = [pscustomobject]@{ Path = $Path; Title = $null; TitleLine = 0; Sections = [System.Collections.Generic.List[object]]::new() }
    $section = $null; $sub = $null; $fence = $null
    for ($i = 0; $i -lt $raw.Count; $i++) {
        $n = $i + 1; $text = $raw[$i].TrimEnd()
        $line = [pscustomobject]@{ N = $n; T = $text }
        if ($text -match '^\s*```') {
            $fence = if ($fence) { $null } else { $n }
        } elseif (-not $fence -and $text -match '^(#+)\s*(.*?)\s*$') {
            $level = $Matches[1].Length; $heading = $Matches[2]
            if ($heading -eq '') { Add-Problem $Path $n 'a heading without text.'; continue }
            switch ($level) {
                1 {
                    if ($doc.Title) { Add-Problem $Path $n "a second '# ' title ('$heading'); a file documents one command or topic." }
                    elseif ($doc.Sections.Count -gt 0) { Add-Problem $Path $n "the '# ' title must come first." }
                    else { $doc.Title = $heading; $doc.TitleLine = $n }
                }
                2 {
                    $section = [pscustomobject]@{ Name = $heading; Line = $n; Lines = [System.Collections.Generic.List[object]]::new(); Subsections = [System.Collections.Generic.List[object]]::new() }
                    $doc.Sections.Add($section); $sub = $null
                }
                3 {
                    if (-not $section) { Add-Problem $Path $n "'### $heading' comes before any '## ' section." ; continue }
                    $sub = [pscustomobject]@{ Heading = $heading; Line = $n; Lines = [System.Collections.Generic.List[object]]::new() }
                    $section.Subsections.Add($sub)
                }
                default { Add-Problem $Path $n "heading level $level ('$('#' * $level) $heading') is not part of the format: use '#', '##' or '###'." }
            }
            continue
        }
        if ($sub) { $sub.Lines.Add($line) }
        elseif ($section) { $section.Lines.Add($line) }
        elseif ($text.Trim() -ne '') {
            if (-not $doc.Title) { Add-Problem $Path $n "text before the '# ' title." }
            else { Add-Problem $Path $n "text between the title and the first '## ' section." }
        }
    }
    if ($fence) { Add-Problem $Path $fence 'a code fence (```) opened here is never closed.' }
    if (-not $doc.Title) { Add-Problem $Path 1 "no '# <Name>' title." }
    $doc
}

function Get-Blocks([string] $File, [object[]] $Lines) {
    # Paragraph: consecutive text lines (joined). Item: a line starting '- ', '* ' or '1. ' plus its continuation
    # lines. Code: a fenced block. Table: consecutive lines starting with '|'. Blank lines separate blocks.
    $blocks = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $i = 0
    while ($i -lt $Lines.Count) {
        $line = $Lines[$i]; $text = $line.T
        if ($text -match '^\s*```\s*([\w-]*)\s*$') {
            $language = $Matches[1]; $start = $line.N; $code = [System.Collections.Generic.List[string]]::new(); $i++
            $indent = ($text -replace '^(\s*).*', '$1').Length
            while ($i -lt $Lines.Count -and $Lines[$i].T -notmatch '^\s*```\s*$') {
                $codeLine = $Lines[$i].T
                $code.Add($(if ($codeLine.Length -ge $indent -and $codeLine.Substring(0, $indent).Trim() -eq '') { $codeLine.Substring($indent) } else { $codeLine.TrimStart() }))
                $i++
            }
            $blocks.Add([pscustomobject]@{ Kind = 'code'; Line = $start; Text = ($code -join "`n"); Language = $language; Rows = $null; Indent = 0 })
            $current = $null; $i++; continue
        }
        if ($text -match '^\s*```') { Add-Problem $File $line.N "a code fence must be '```' or '```powershell' alone on its line."; $i++; continue }
        if ($text.Trim() -eq '') { $current = $null; $i++; continue }
        if ($text -match '^\s*\|') {
            if (-not $current -or $current.Kind -ne 'table') {
                $current = [pscustomobject]@{ Kind = 'table'; Line = $line.N; Text = ''; Language = $null; Rows = [System.Collections.Generic.List[object]]::new(); Indent = 0 }
                $blocks.Add($current)
            }
            $current.Rows.Add($line)
            $i++; continue
        }
        if ($text -match '^(\s*)([-*]|\d+\.)\s+(.*)$') {
            $marker = if ($Matches[2] -match '^\d') { $Matches[2] } else { '-' }
            $current = [pscustomobject]@{ Kind = 'item'; Line = $line.N; Text = $Matches[3].Trim(); Language = $marker; Rows = $null; Indent = [int][math]::Floor($Matches[1].Length / 2) }
            $blocks.Add($current); $i++; continue
        }
        if ($current -and $current.Kind -in 'para', 'item') {
            $current.Text += ' ' + $text.Trim()
        } else {
            if ($current -and $current.Kind -eq 'table') { Add-Problem $File $line.N 'a table must be followed by a blank line.' }
            $current = [pscustomobject]@{ Kind = 'para'; Line = $line.N; Text = $text.Trim(); Language = $null; Rows = $null; Indent = 0 }
            $blocks.Add($current)
        }
        $i++
    }
    foreach ($table in $blocks | Where-Object Kind -EQ 'table') { $table.Rows = ConvertFrom-TableRows $File $table }
    , $blocks
}

function ConvertFrom-TableRows([string] $File, $Table) {
    $rows = [System.Collections.Generic.List[object]]::new()
    foreach ($row in $Table.Rows) {
        $cells = [regex]::Split(($row.T.Trim() -replace '^\|' -replace '(?<!\\)\|$'), '(?<!\\)\|') | ForEach-Object { $_.Trim() -replace '\\\|', '|' }
        $rows.Add(@($cells))
    }
    if ($rows.Count -lt 2 -or ($rows[1] | Where-Object { $_ -notmatch '^:?-{3,}:?$' })) {
        Add-Problem $File $Table.Line "a table needs a header row and a '| --- |' separator row."
        return , $rows
    }
    $width = $rows[0].Count
    for ($r = 0; $r -lt $rows.Count; $r++) {
        if ($rows[$r].Count -ne $width) { Add-Problem $File $Table.Rows[$r].N "this table row has $($rows[$r].Count) cells; the header has $width." }
    }
    $rows.RemoveAt(1)
    , $rows
}

function Format-Inline([string] $Text) {
    # Markdown inline formatting to plain text: links keep their text (and show external targets), code spans and
    # emphasis lose their markers, escapes are resolved.
    $Text = $Text -replace '\[([^\]]+)\]\((https?://[^)\s]+)\)', '$1 ($2)' -replace '\[([^\]]+)\]\([^)\s]+\)', '$1'
    $Text = $Text -replace '(`+)(.+?)\1', '$2' -replace '\*\*(.+?)\*\*', '$1'   # a single * is left alone: it is a wildcard far more often
    $Text -replace '\\([\\`*_{}\[\]()#+\-.!|<>])', '$1'
}

function Get-ParaTexts($Blocks) {
    # Paragraphs and list items as the text of MAML paragraphs. Get-Help keeps line breaks inside a paragraph, so
    # the items of one list share a paragraph, one per line, instead of being spread out by blank lines.
    $paras = [System.Collections.Generic.List[string]]::new()
    $inList = $false
    foreach ($block in $Blocks) {
        $text = Format-Inline $block.Text
        if ($block.Kind -eq 'item') {
            $line = ('  ' * $block.Indent) + "$($block.Language) $text"
            if ($inList) { $paras[$paras.Count - 1] += "`n" + $line } else { $paras.Add($line) }
            $inList = $true
        } else {
            $paras.Add($text); $inList = $false
        }
    }
    $paras
}

# ---------------------------------------------------------------------------------------------------------------
# Command help: the checked structure of a <Command>.md file.
# ---------------------------------------------------------------------------------------------------------------

function Test-OnlyProse([string] $File, [string] $Where, $Blocks) {
    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'code') { Add-Problem $File $block.Line "a code block in $Where; code belongs in EXAMPLES." }
        if ($block.Kind -eq 'table') { Add-Problem $File $block.Line "a table in $Where; tables are for about topics only (Get-Help reflows MAML text)." }
    }
}

function Read-CommandHelp($Doc) {
    $file = $Doc.Path
    $help = [ordered]@{
        Name = $Doc.Title; Synopsis = $null; Description = @(); Parameters = [System.Collections.Generic.List[object]]::new()
        Examples = [System.Collections.Generic.List[object]]::new(); Inputs = @(); Outputs = @(); Notes = @(); Links = @(); Path = $file
    }
    $expected = [IO.Path]::GetFileNameWithoutExtension($file)
    if ($Doc.Title -and $Doc.Title -ne $expected) { Add-Problem $file $Doc.TitleLine "the title '# $($Doc.Title)' does not match the file name ($expected.md)." }
    if ($Doc.Title -and $Doc.Title -notmatch '^[A-Za-z]+-[A-Za-z0-9]+$') { Add-Problem $file $Doc.TitleLine "'$($Doc.Title)' is not a Verb-Noun command name." }

    $lastIndex = -1
    foreach ($section in $Doc.Sections) {
        $index = [array]::IndexOf($CommandSections, $section.Name)
        if ($section.Name -eq 'SYNTAX') { Add-Problem $file $section.Line "'## SYNTAX' is generated from the command's metadata: remove it."; continue }
        if ($index -lt 0) { Add-Problem $file $section.Line "unknown section '## $($section.Name)'; the sections are: $($CommandSections -join ', ')."; continue }
        if (@($Doc.Sections | Where-Object Name -EQ $section.Name).Count -gt 1 -and $index -le $lastIndex) { Add-Problem $file $section.Line "section '## $($section.Name)' appears twice."; continue }
        if ($index -lt $lastIndex) { Add-Problem $file $section.Line "section '## $($section.Name)' is out of order; the order is: $($CommandSections -join ', ')." }
        $lastIndex = [math]::Max($lastIndex, $index)

        $blocks = Get-Blocks $file $section.Lines
        $keyed = $section.Name -in 'PARAMETERS', 'EXAMPLES', 'INPUTS', 'OUTPUTS'
        if ($keyed -and $blocks.Count -gt 0) { Add-Problem $file $blocks[0].Line "text directly under '## $($section.Name)'; put it under a '### ' heading." }
        if (-not $keyed -and $section.Subsections.Count -gt 0) { Add-Problem $file $section.Subsections[0].Line "'### $($section.Subsections[0].Heading)' under '## $($section.Name)', which has no subsections." }

        switch ($section.Name) {
            'SYNOPSIS' {
                Test-OnlyProse $file 'SYNOPSIS' $blocks
                if ($blocks.Count -ne 1 -or $blocks[0].Kind -ne 'para') { Add-Problem $file $section.Line 'SYNOPSIS must be exactly one paragraph.' }
                else { $help.Synopsis = Format-Inline $blocks[0].Text }
            }
            'DESCRIPTION' {
                Test-OnlyProse $file 'DESCRIPTION' $blocks
                $help.Description = @(Get-ParaTexts ($blocks | Where-Object Kind -In 'para', 'item'))
                if ($help.Description.Count -eq 0) { Add-Problem $file $section.Line 'DESCRIPTION is empty.' }
            }
            'NOTES' {
                Test-OnlyProse $file 'NOTES' $blocks
                $help.Notes = @(Get-ParaTexts ($blocks | Where-Object Kind -In 'para', 'item'))
                if ($help.Notes.Count -eq 0) { Add-Problem $file $section.Line 'NOTES is empty (leave the section out instead).' }
            }
            'RELATED LINKS' {
                $links = foreach ($block in $blocks) {
                    if ($block.Kind -ne 'item' -or $block.Text -notmatch '^(\[(?<text>[^\]]+)\]\((?<uri>[^)\s]+)\)|(?<plain>[^\[\]()]+))$') {
                        Add-Problem $file $block.Line "RELATED LINKS takes only list items: '- [Text](target)' or '- Text'."
                        continue
                    }
                    $plain = $Matches['plain']; $linkText = $Matches['text']; $target = $Matches['uri']
                    if ($plain) { [pscustomobject]@{ Text = $plain.Trim(); Uri = '' } }
                    else { [pscustomobject]@{ Text = $linkText; Uri = $(if ($target -match '^https?://') { $target } else { '' }) } }
                }
                $help.Links = @($links)
            }
            'PARAMETERS' {
                foreach ($sub in $section.Subsections) {
                    if ($sub.Heading -notmatch '^-([A-Za-z][A-Za-z0-9_]*)$') { Add-Problem $file $sub.Line "a parameter heading must be '### -Name', not '### $($sub.Heading)'."; continue }
                    $name = $Matches[1]
                    if ($help.Parameters | Where-Object Name -EQ $name) { Add-Problem $file $sub.Line "parameter -$name is documented twice."; continue }
                    $pblocks = Get-Blocks $file $sub.Lines
                    Test-OnlyProse $file "the help of -$name" $pblocks
                    $default = $null
                    $prose = foreach ($block in $pblocks | Where-Object Kind -In 'para', 'item') {
                        if ($block.Kind -eq 'para' -and $block.Text -match '^Default value:\s*(.+)$') { $default = Format-Inline $Matches[1] }
                        else { $block }
                    }
                    $text = @(Get-ParaTexts $prose)
                    if ($text.Count -eq 0) { Add-Problem $file $sub.Line "parameter -$name has no description." }
                    $help.Parameters.Add([pscustomobject]@{ Name = $name; Line = $sub.Line; Description = $text; Default = $default })
                }
            }
            'EXAMPLES' {
                $number = 0
                foreach ($sub in $section.Subsections) {
                    $number++
                    if ($sub.Heading -notmatch '^Example (\d+): (\S.*)$') { Add-Problem $file $sub.Line "an example heading must be '### Example $($number): <title>', not '### $($sub.Heading)'."; continue }
                    if ([int]$Matches[1] -ne $number) { Add-Problem $file $sub.Line "example $($Matches[1]) should be numbered $number." }
                    $title = Format-Inline $Matches[2]
                    $eblocks = Get-Blocks $file $sub.Lines
                    $codes = @($eblocks | Where-Object Kind -EQ 'code')
                    if ($codes.Count -ne 1) { Add-Problem $file $sub.Line "example $number needs exactly one fenced code block (it has $($codes.Count))."; continue }
                    if ($eblocks[0].Kind -ne 'code') { Add-Problem $file $eblocks[0].Line "example $number must start with its code block; the explanation follows it." }
                    if ($codes[0].Language -notin '', 'powershell', 'pwsh', 'ps1') { Add-Problem $file $codes[0].Line "example $number's code is '$($codes[0].Language)', not powershell." }
                    if ($codes[0].Text.Trim() -eq '') { Add-Problem $file $codes[0].Line "example $number's code block is empty." }
                    foreach ($table in $eblocks | Where-Object Kind -EQ 'table') { Add-Problem $file $table.Line "a table in example $number; tables are for about topics only." }
                    $remarks = @(Get-ParaTexts ($eblocks | Where-Object Kind -In 'para', 'item'))
                    if ($remarks.Count -eq 0) { Add-Problem $file $sub.Line "example $number has no explanation after its code." }
                    $help.Examples.Add([pscustomobject]@{ Title = "Example $($number): $title"; Code = $codes[0].Text; Remarks = $remarks })
                }
                if ($help.Examples.Count -eq 0) { Add-Problem $file $section.Line 'EXAMPLES has no example.' }
            }
            { $_ -in 'INPUTS', 'OUTPUTS' } {
                $types = foreach ($sub in $section.Subsections) {
                    $tblocks = Get-Blocks $file $sub.Lines
                    Test-OnlyProse $file $section.Name $tblocks
                    [pscustomobject]@{ Name = (Format-Inline $sub.Heading); Description = @(Get-ParaTexts ($tblocks | Where-Object Kind -In 'para', 'item')) }
                }
                if (-not $types) { Add-Problem $file $section.Line "$($section.Name) lists no type ('### TypeName', or '### None')." }
                if ($section.Name -eq 'INPUTS') { $help.Inputs = @($types) } else { $help.Outputs = @($types) }
            }
        }
    }
    foreach ($required in $RequiredCommandSections) {
        if (-not ($Doc.Sections | Where-Object Name -EQ $required)) { Add-Problem $file $Doc.TitleLine "the required section '## $required' is missing." }
    }
    [pscustomobject]$help
}

# ---------------------------------------------------------------------------------------------------------------
# Command metadata: what Get-Help shows about parameters comes from the command itself.
# ---------------------------------------------------------------------------------------------------------------

$CommonParameterNames = [System.Management.Automation.Cmdlet]::CommonParameters

# Lower-case type accelerators by type (string, int, timespan, ...), the names PowerShell's syntax lines use.
$Accelerators = @{}
foreach ($entry in [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get.GetEnumerator() | Sort-Object { $_.Key.Length }) {
    if ($entry.Key -cmatch '^[a-z]' -and -not $Accelerators.ContainsKey($entry.Value)) { $Accelerators[$entry.Value] = $entry.Key }
}

function Get-TypeDisplay([type] $Type) {
    # The type as PowerShell's own syntax shows it (string, int[], timespan, IDictionary, ...).
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { $Type = $inner }
    if ($Type.IsArray) { return (Get-TypeDisplay $Type.GetElementType()) + '[]' }
    if ($Type -eq [object]) { return 'Object' }
    if ($Accelerators.ContainsKey($Type)) { return $Accelerators[$Type] }
    $Type.Name
}

function Get-TypeFullName([type] $Type) {
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { $Type = $inner }
    $Type.FullName
}

$FactCache = @{}

function Get-ParameterFacts($Command, [string] $Name) {
    $key = "$($Command.Name)/$Name"
    if (-not $FactCache.ContainsKey($key)) { $FactCache[$key] = Measure-ParameterFacts $Command $Name }
    $FactCache[$key]
}

function Measure-ParameterFacts($Command, [string] $Name) {
    $meta = $Command.Parameters[$Name]
    $sets = @($Command.ParameterSets | Where-Object { $_.Parameters.Name -contains $Name })
    $inSets = foreach ($set in $sets) { [pscustomobject]@{ Set = $set.Name; Info = ($set.Parameters | Where-Object Name -EQ $Name) } }

    $required = @($inSets | ForEach-Object { $_.Info.IsMandatory } | Select-Object -Unique)
    $requiredText = if ($required.Count -eq 1) { "$($required[0])".ToLowerInvariant() }
                    else { ($inSets | ForEach-Object { "$("$($_.Info.IsMandatory)".ToLowerInvariant()) ($($_.Set))" }) -join ', ' }

    $positions = @($inSets | ForEach-Object { if ($_.Info.Position -lt 0) { 'named' } else { "$($_.Info.Position)" } } | Select-Object -Unique)
    $positionText = if ($positions.Count -eq 1) { $positions[0] }
                    else { ($inSets | ForEach-Object { "$(if ($_.Info.Position -lt 0) { 'named' } else { $_.Info.Position }) ($($_.Set))" }) -join ', ' }

    $pipeline = @()
    if ($inSets | Where-Object { $_.Info.ValueFromPipeline }) { $pipeline += 'ByValue' }
    if ($inSets | Where-Object { $_.Info.ValueFromPipelineByPropertyName }) { $pipeline += 'ByPropertyName' }
    $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }

    [pscustomobject]@{
        Name        = $meta.Name
        IsSwitch    = $meta.SwitchParameter
        TypeDisplay = $(if ($meta.SwitchParameter) { 'SwitchParameter' } else { Get-TypeDisplay $meta.ParameterType })
        TypeName    = Get-TypeFullName $meta.ParameterType
        Required    = $requiredText
        Position    = $positionText
        Pipeline    = $pipelineText
        Globbing    = "$([bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }))".ToLowerInvariant()
        Aliases     = $(if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'none' })
    }
}

function Get-SyntaxParameterNames($Set) {
    # The parameters of a set in the order PowerShell's own syntax line shows them (positional ones first).
    $names = [regex]::Matches($Set.ToString(), '(?<=^|[\s\[])-(\w+)') | ForEach-Object { $_.Groups[1].Value }
    @($names | Where-Object { $_ -notin $CommonParameterNames } | Select-Object -Unique)
}

# ---------------------------------------------------------------------------------------------------------------
# MAML writing.
# ---------------------------------------------------------------------------------------------------------------

$Ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

function Start-Element([string] $Name, [hashtable] $Attributes) {
    $prefix, $local = $Name -split ':', 2
    $script:Writer.WriteStartElement($prefix, $local, $Ns[$prefix])
    if ($Attributes) { foreach ($key in $Attributes.Keys | Sort-Object) { $script:Writer.WriteAttributeString($key, [string]$Attributes[$key]) } }
}

function Stop-Element { $script:Writer.WriteEndElement() }

function Write-Element([string] $Name, [string] $Text, [hashtable] $Attributes) {
    Start-Element $Name $Attributes
    $script:Writer.WriteString($Text)
    Stop-Element
}

function Write-Paras([string] $Name, [string[]] $Paras) {
    Start-Element $Name
    foreach ($para in $Paras) { Write-Element 'maml:para' $para }
    Stop-Element
}

function Write-ParameterElement($Facts, $Doc, [bool] $InSyntax, [bool] $RequiredInSet, [string] $PositionInSet) {
    $attributes = [ordered]@{
        required = $(if ($InSyntax) { "$RequiredInSet".ToLowerInvariant() } else { $Facts.Required })
        variableLength = 'true'
        globbing = $Facts.Globbing
        pipelineInput = $Facts.Pipeline
        position = $(if ($InSyntax) { $PositionInSet } else { $Facts.Position })
        aliases = $Facts.Aliases
    }
    Start-Element 'command:parameter' $attributes
    Write-Element 'maml:name' $Facts.Name
    Write-Paras 'maml:description' $(if ($Doc) { $Doc.Description } else { @() })
    if (-not $Facts.IsSwitch) {
        Write-Element 'command:parameterValue' $Facts.TypeDisplay @{ required = 'true'; variableLength = 'false' }
    } elseif (-not $InSyntax) {
        Write-Element 'command:parameterValue' 'SwitchParameter' @{ required = 'false'; variableLength = 'false' }
    }
    Start-Element 'dev:type'
    Write-Element 'maml:name' $(if ($Facts.IsSwitch) { 'System.Management.Automation.SwitchParameter' } else { $Facts.TypeName })
    Write-Element 'maml:uri' ''
    Stop-Element
    Write-Element 'dev:defaultValue' $(if ($Doc -and $Doc.Default) { $Doc.Default } elseif ($Facts.IsSwitch) { 'False' } else { 'None' })
    Stop-Element
}

function Write-CommandMaml($Help, $Command) {
    $verb, $noun = $Help.Name -split '-', 2
    Start-Element 'command:command'
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') { $script:Writer.WriteAttributeString('xmlns', $prefix, $null, $Ns[$prefix]) }
    Start-Element 'command:details'
    Write-Element 'command:name' $Help.Name
    Write-Element 'command:verb' $verb
    Write-Element 'command:noun' $noun
    Write-Paras 'maml:description' @($Help.Synopsis)
    Stop-Element
    Write-Paras 'maml:description' $Help.Description

    $documented = @{}
    foreach ($parameter in $Help.Parameters) { $documented[$parameter.Name] = $parameter }

    Start-Element 'command:syntax'
    foreach ($set in $Command.ParameterSets) {
        Start-Element 'command:syntaxItem'
        Write-Element 'maml:name' $Help.Name
        foreach ($name in Get-SyntaxParameterNames $set) {
            $info = $set.Parameters | Where-Object Name -EQ $name
            $facts = Get-ParameterFacts $Command $name
            Write-ParameterElement $facts $documented[$name] $true $info.IsMandatory $(if ($info.Position -lt 0) { 'named' } else { "$($info.Position)" })
        }
        Stop-Element
    }
    Stop-Element

    # Parameters in the order the markdown documents them, then any it does not (so they still show).
    $all = @($Command.ParameterSets | ForEach-Object { Get-SyntaxParameterNames $_ } | Select-Object -Unique)
    $ordered = @($Help.Parameters.Name | Where-Object { $_ -in $all }) + @($all | Where-Object { -not $documented.ContainsKey($_) })
    Start-Element 'command:parameters'
    foreach ($name in $ordered) { Write-ParameterElement (Get-ParameterFacts $Command $name) $documented[$name] $false $false '' }
    Stop-Element

    Start-Element 'command:inputTypes'
    foreach ($type in $Help.Inputs) {
        Start-Element 'command:inputType'
        Start-Element 'dev:type'; Write-Element 'maml:name' $type.Name; Stop-Element
        Write-Paras 'maml:description' $type.Description
        Stop-Element
    }
    Stop-Element
    Start-Element 'command:returnValues'
    foreach ($type in $Help.Outputs) {
        Start-Element 'command:returnValue'
        Start-Element 'dev:type'; Write-Element 'maml:name' $type.Name; Stop-Element
        Write-Paras 'maml:description' $type.Description
        Stop-Element
    }
    Stop-Element

    Start-Element 'maml:alertSet'
    Start-Element 'maml:alert'
    foreach ($para in $Help.Notes) { Write-Element 'maml:para' $para }
    Stop-Element
    Stop-Element

    Start-Element 'command:examples'
    foreach ($example in $Help.Examples) {
        Start-Element 'command:example'
        Write-Element 'maml:title' "--------- $($example.Title) ---------"
        Write-Element 'dev:code' $example.Code
        Write-Paras 'dev:remarks' (@($example.Remarks) + '')   # the empty paragraph separates examples
        Stop-Element
    }
    Stop-Element

    Start-Element 'command:relatedLinks'
    foreach ($link in $Help.Links) {
        Start-Element 'maml:navigationLink'
        Write-Element 'maml:linkText' $link.Text
        Write-Element 'maml:uri' $link.Uri
        Stop-Element
    }
    Stop-Element
    Stop-Element
}

# ---------------------------------------------------------------------------------------------------------------
# about topics: plain text laid out as PowerShell's own about_*.help.txt files are.
# ---------------------------------------------------------------------------------------------------------------

function Split-Words([string] $Text, [int] $Width) {
    # Word-wraps text to lines of at most $Width characters (a longer word gets a line of its own).
    $lines = [System.Collections.Generic.List[string]]::new()
    $current = ''
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if ($current -eq '') { $current = $word }
        elseif ($current.Length + 1 + $word.Length -le $Width) { $current += ' ' + $word }
        else { $lines.Add($current); $current = $word }
    }
    if ($current -ne '' -or $lines.Count -eq 0) { $lines.Add($current) }
    $lines
}

function Format-AboutTable($Rows, [int] $Indent) {
    # A markdown table as aligned text columns; columns too wide for the page are wrapped. A column is never
    # narrower than its longest word, so words are never split and columns stay aligned.
    $columns = $Rows[0].Count
    $cells = foreach ($row in $Rows) { , @($row | ForEach-Object { Format-Inline $_ }) }
    $widths = [int[]]::new($columns); $floors = [int[]]::new($columns)
    foreach ($row in $cells) {
        for ($c = 0; $c -lt $columns; $c++) {
            $widths[$c] = [math]::Max($widths[$c], $row[$c].Length)
            foreach ($word in $row[$c] -split '\s+') { $floors[$c] = [math]::Max($floors[$c], $word.Length) }
        }
    }
    $budget = $AboutWidth - $Indent - 2 * ($columns - 1)
    $total = 0; foreach ($width in $widths) { $total += $width }
    while ($total -gt $budget) {
        $widest = -1
        for ($c = 0; $c -lt $columns; $c++) {
            if ($widths[$c] -gt $floors[$c] -and ($widest -lt 0 -or $widths[$c] -gt $widths[$widest])) { $widest = $c }
        }
        if ($widest -lt 0) { break }
        $widths[$widest]--; $total--
    }
    $pad = ' ' * $Indent
    $out = [System.Collections.Generic.List[string]]::new()
    for ($r = 0; $r -lt $cells.Count; $r++) {
        $wrapped = for ($c = 0; $c -lt $columns; $c++) { , @(Split-Words $cells[$r][$c] $widths[$c]) }
        $height = 1; foreach ($cell in $wrapped) { $height = [math]::Max($height, $cell.Count) }
        for ($h = 0; $h -lt $height; $h++) {
            $parts = for ($c = 0; $c -lt $columns; $c++) { $(if ($h -lt $wrapped[$c].Count) { $wrapped[$c][$h] } else { '' }).PadRight($widths[$c]) }
            $out.Add(($pad + ($parts -join '  ')).TrimEnd())
        }
        if ($r -eq 0) { $out.Add($pad + (($widths | ForEach-Object { '-' * $_ }) -join '  ')) }
    }
    , $out
}

function Format-AboutBlocks($Blocks, [int] $Indent) {
    $out = [System.Collections.Generic.List[string]]::new()
    $previous = $null
    foreach ($block in $Blocks) {
        # List items follow each other without a blank line; everything else is separated by one.
        if ($previous -and -not ($previous.Kind -eq 'item' -and $block.Kind -eq 'item')) { $out.Add('') }
        switch ($block.Kind) {
            'para' { foreach ($line in Split-Words (Format-Inline $block.Text) ($AboutWidth - $Indent)) { $out.Add((' ' * $Indent) + $line) } }
            'item' {
                $lead = (' ' * ($Indent + 2 * $block.Indent)) + "$($block.Language) "
                $first = $true
                foreach ($line in Split-Words (Format-Inline $block.Text) ($AboutWidth - $lead.Length)) {
                    $out.Add($(if ($first) { $lead } else { ' ' * $lead.Length }) + $line); $first = $false
                }
            }
            'code' { foreach ($line in $block.Text -split "`n") { $out.Add(((' ' * ($Indent + 4)) + $line).TrimEnd()) } }
            'table' { $out.AddRange((Format-AboutTable $block.Rows $Indent)) }
        }
        $previous = $block
    }
    , $out
}

function Convert-AboutTopic($Doc) {
    $file = $Doc.Path
    $expected = [IO.Path]::GetFileNameWithoutExtension($file)
    if ($Doc.Title -and $Doc.Title -ne $expected) { Add-Problem $file $Doc.TitleLine "the title '# $($Doc.Title)' does not match the file name ($expected.md)." }
    $names = @($Doc.Sections | ForEach-Object Name)
    if ($names.Count -lt 2 -or $names[0] -ne 'SHORT DESCRIPTION' -or $names[1] -ne 'LONG DESCRIPTION') {
        Add-Problem $file $Doc.TitleLine "an about topic starts with '## SHORT DESCRIPTION' and then '## LONG DESCRIPTION'."
    }
    foreach ($section in $Doc.Sections) {
        if ($section.Name -cne $section.Name.ToUpperInvariant()) { Add-Problem $file $section.Line "about topic sections are upper case: '## $($section.Name.ToUpperInvariant())'." }
        if (@($Doc.Sections | Where-Object Name -EQ $section.Name).Count -gt 1) { Add-Problem $file $section.Line "section '## $($section.Name)' appears more than once." }
    }
    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC'); $out.Add("    $($Doc.Title)")
    foreach ($section in $Doc.Sections) {
        $out.Add(''); $out.Add($section.Name)
        $blocks = Get-Blocks $file $section.Lines
        if ($blocks.Count -eq 0 -and $section.Subsections.Count -eq 0) { Add-Problem $file $section.Line "section '## $($section.Name)' is empty." }
        $out.AddRange((Format-AboutBlocks $blocks 4))
        foreach ($sub in $section.Subsections) {
            $out.Add(''); $out.Add("    $(Format-Inline $sub.Heading)")
            $out.Add('    ' + ('-' * (Format-Inline $sub.Heading).Length))
            $subBlocks = Get-Blocks $file $sub.Lines
            if ($subBlocks.Count -eq 0) { Add-Problem $file $sub.Line "subsection '### $($sub.Heading)' is empty." }
            $out.AddRange((Format-AboutBlocks $subBlocks 4))
        }
    }
    ($out -join "`n") + "`n"
}

# ---------------------------------------------------------------------------------------------------------------
# Main.
# ---------------------------------------------------------------------------------------------------------------

$sourceDir = (Resolve-Path -LiteralPath $Source).Path
$files = @(Get-ChildItem -LiteralPath $sourceDir -Filter '*.md' -File | Where-Object Name -NE 'README.md' | Sort-Object Name)
if ($files.Count -eq 0) { throw "Convert-HelpToMaml: no markdown help (*.md) in '$sourceDir'." }

$commandHelp = [System.Collections.Generic.List[object]]::new()
$aboutTexts = [ordered]@{}
foreach ($file in $files) {
    $doc = Read-HelpFile $file.FullName
    if ($file.BaseName -like 'about_*') { $aboutTexts[$file.BaseName] = Convert-AboutTopic $doc }
    else { $commandHelp.Add((Read-CommandHelp $doc)) }
}

# The commands the help describes.
$moduleCommands = $null
if ($ModulePath) {
    # A path (relative ones too) is imported as a path; anything else as a module name.
    $target = if (Test-Path -LiteralPath $ModulePath) { (Resolve-Path -LiteralPath $ModulePath).Path } else { $ModulePath }
    $module = Import-Module $target -PassThru -ErrorAction Stop | Select-Object -First 1
    $moduleCommands = @($module.ExportedCommands.Values | Where-Object CommandType -NE 'Alias')
}
$commands = @{}
foreach ($help in $commandHelp) {
    if (-not $help.Name) { continue }
    $command = if ($null -ne $moduleCommands) { $moduleCommands | Where-Object Name -EQ $help.Name }
               else { Get-Command -Name $help.Name -CommandType Cmdlet, Function -ErrorAction SilentlyContinue | Select-Object -First 1 }
    if (-not $command) {
        Add-Problem $help.Path 1 "there is no command '$($help.Name)' $(if ($ModulePath) { "in the module '$ModulePath'" } else { 'in this session (pass -ModulePath)' })."
        continue
    }
    $commands[$help.Name] = $command
    $real = @($command.ParameterSets | ForEach-Object { Get-SyntaxParameterNames $_ } | Select-Object -Unique)
    foreach ($parameter in $help.Parameters) {
        if ($parameter.Name -notin $real) { Write-Warning "$([IO.Path]::GetFileName($help.Path)):$($parameter.Line): $($help.Name) has no parameter -$($parameter.Name); its help is not used." }
    }
    foreach ($name in $real | Where-Object { $_ -notin $help.Parameters.Name }) {
        Write-Warning "$([IO.Path]::GetFileName($help.Path)): parameter -$name of $($help.Name) is not documented."
    }
}
if ($null -ne $moduleCommands) {
    foreach ($missing in $moduleCommands | Where-Object { $_.Name -notin $commandHelp.Name }) {
        Write-Warning "$($missing.Name) has no help file ($($missing.Name).md) in '$sourceDir'."
    }
}

if ($script:Problems.Count -gt 0) {
    throw "Convert-HelpToMaml: $($script:Problems.Count) problem(s) in the markdown help:`n  " + ($script:Problems -join "`n  ")
}

if ($commandHelp.Count -gt 0 -and -not $MamlFileName) {
    $declared = @($commands.Values | ForEach-Object { $_.HelpFile } | Where-Object { $_ } | ForEach-Object { [IO.Path]::GetFileName($_) } | Select-Object -Unique)
    if ($declared.Count -ne 1) { throw "Convert-HelpToMaml: the commands declare $(if ($declared) { "several help files ($($declared -join ', '))" } else { 'no help file' }); pass -MamlFileName." }
    $MamlFileName = $declared[0]
}

$null = New-Item -ItemType Directory -Force -Path $Destination
$destinationDir = (Resolve-Path -LiteralPath $Destination).Path
$utf8 = [System.Text.UTF8Encoding]::new($false)
$written = [System.Collections.Generic.List[string]]::new()

if ($commandHelp.Count -gt 0) {
    $mamlPath = Join-Path $destinationDir $MamlFileName
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true; $settings.IndentChars = '  '; $settings.NewLineChars = "`n"; $settings.Encoding = $utf8
    $buffer = [IO.MemoryStream]::new()
    $script:Writer = [System.Xml.XmlWriter]::Create($buffer, $settings)
    $script:Writer.WriteStartDocument()
    $script:Writer.WriteStartElement('helpItems', 'http://msh')
    $script:Writer.WriteAttributeString('schema', 'maml')
    foreach ($help in $commandHelp | Sort-Object Name) { Write-CommandMaml $help $commands[$help.Name] }
    $script:Writer.WriteEndElement()
    $script:Writer.WriteEndDocument()
    $script:Writer.Flush(); $script:Writer.Dispose()
    $xmlText = $utf8.GetString($buffer.ToArray()) + "`n"

    # What was written must read back as MAML holding every command.
    $check = [xml]$xmlText
    $manager = [System.Xml.XmlNamespaceManager]::new($check.NameTable)
    $manager.AddNamespace('command', $Ns.command)
    $count = $check.SelectNodes('//command:command', $manager).Count
    if ($count -ne $commandHelp.Count) { throw "Convert-HelpToMaml: the MAML holds $count commands, expected $($commandHelp.Count)." }
    [IO.File]::WriteAllText($mamlPath, $xmlText, $utf8)
    $written.Add($mamlPath)
}

foreach ($topic in $aboutTexts.Keys) {
    $path = Join-Path $destinationDir "$topic.help.txt"
    [IO.File]::WriteAllText($path, $aboutTexts[$topic], $utf8)
    $written.Add($path)
}

foreach ($path in $written) { Write-Verbose "Wrote $path" }
if ($PassThru) { Get-Item -LiteralPath $written }
