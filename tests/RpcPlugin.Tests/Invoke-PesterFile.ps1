<#
.SYNOPSIS
    Runs one Pester file in this (fresh) pwsh and writes its counts as JSON for build.ps1 to add up.
#>
param(
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $ResultFile
)

# No script-wide ErrorActionPreference: the tests must run with PowerShell's default (Continue).
Import-Module $PesterModule -MinimumVersion 5.7 -ErrorAction Stop
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Should.ErrorAction = 'Continue'
$result = Invoke-Pester -Configuration $configuration
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
# Names of what failed, so that the run's summary can list them at its end (CI logs may show only the tail).
$failures = @(
    $result.Failed | ForEach-Object { $_.ExpandedPath }
    $result.FailedBlocks | ForEach-Object { "$($_.Path -join '.') (block)" }
    $result.FailedContainers | ForEach-Object { "$($_.Item) (file)" }
)
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount; Failures = $failures } |
    ConvertTo-Json | Set-Content -Path $ResultFile
