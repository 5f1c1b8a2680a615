<#
.SYNOPSIS
    Runs the Windows lane under Wine and returns its counts: { Passed, Failed, Failures, Skipped }.

.DESCRIPTION
    Runs on Linux, from build.ps1 (TestWindows, and Test when Wine is installed). What it needs was built before:
    the module (out/RpcPlugin), the Windows PowerShell host (out/win/WindowsHost), the C# test plugin for win-x64
    (out/win/TestPlugin) and the Go peers for Windows (out/win/peers). Steps:
      1. a Wine prefix of the lane's own (out/win/prefix), made on first use;
      2. certificates for the TLS tests, made here (Wine cannot make keys);
      3. every tests/Windows/InWine/*.Tests.ps1 in ONE launch of the Windows host (Wine's start-up is slow);
      4. tests/Windows/FromLinux/*.Tests.ps1 in this machine's pwsh: what only Linux can do to a Wine program
         (a terminal's Ctrl+C is SIGINT);
      5. a check that no process of the lane's prefix is left running (then wineserver -k, as the last resort).
    Returns Skipped (a reason) instead of counts when Wine is not installed.
#>
param(
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string[]] $Pwsh
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. (Join-Path $PSScriptRoot 'WineLane.ps1')

$wine = Find-Wine
if (-not $wine) {
    return [pscustomobject]@{ Passed = 0; Failed = 0; Failures = @(); Skipped = 'wine64 is not installed (apt-get install wine64)' }
}

$clock = [Diagnostics.Stopwatch]::StartNew()
$out = Join-Path $Root 'out'
$win = Join-Path $out 'win'
Set-WineEnvironment -Prefix (Join-Path $win 'prefix')
$prefixTime = Initialize-WinePrefix -Wine $wine
New-LanePki -Directory (Join-Path $win 'pki')

$env:RPCPLUGIN_WIN_HOST = Join-Path $win 'WindowsHost/WindowsHost.exe'
$env:RPCPLUGIN_WIN_MODULE = ConvertTo-WindowsPath (Join-Path $out 'RpcPlugin/RpcPlugin.psd1')
$env:RPCPLUGIN_WIN_TESTPLUGIN = if (Test-Path (Join-Path $win 'TestPlugin/TestPlugin.exe')) { ConvertTo-WindowsPath (Join-Path $win 'TestPlugin/TestPlugin.exe') } else { '' }
$env:RPCPLUGIN_WIN_PEERS = ConvertTo-WindowsPath (Join-Path $win 'peers')
$env:RPCPLUGIN_WIN_PKI = ConvertTo-WindowsPath (Join-Path $win 'pki')
$env:RPCPLUGIN_WIN_PWSH = ConvertTo-WindowsPath $env:RPCPLUGIN_WIN_HOST

$results = [Collections.Generic.List[object]]::new()

# 3. The Windows side, one host launch for every file (Pester runs the folder).
$resultFile = Join-Path $out 'pester-windows-inwine.json'
Remove-Item $resultFile -ErrorAction SilentlyContinue
$runner = ConvertTo-WindowsPath (Join-Path $Root 'tests/RpcPlugin.Tests/Invoke-PesterFile.ps1')
$arguments = @('-NoProfile', '-NonInteractive', '-File', $runner, '-PesterModule', (ConvertTo-WindowsPath $PesterModule),
    '-Path', (ConvertTo-WindowsPath (Join-Path $PSScriptRoot 'InWine')), '-ResultFile', (ConvertTo-WindowsPath $resultFile))
$inWine = [Diagnostics.Stopwatch]::StartNew()
$exitCode = Invoke-WineProgram -Wine $wine -Program $env:RPCPLUGIN_WIN_HOST -ArgumentList $arguments -TimeoutSeconds 900
$results.Add((Read-PesterResult -ResultFile $resultFile -Label 'Windows lane (Wine)' -ExitCode $exitCode))
Write-Host ("Windows lane: tests under Wine took {0:0.0} s" -f $inWine.Elapsed.TotalSeconds)

# 4. The Linux side: one fresh pwsh for the folder, as build.ps1 runs Pester files.
$fromLinux = Join-Path $PSScriptRoot 'FromLinux'
$resultFile = Join-Path $out 'pester-windows-fromlinux.json'
Remove-Item $resultFile -ErrorAction SilentlyContinue
$env:RPCPLUGIN_WIN_WINE = $wine
& $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $Root 'tests/RpcPlugin.Tests/Invoke-PesterFile.ps1') `
    -PesterModule $PesterModule -Path $fromLinux -ResultFile $resultFile | Out-Host
$results.Add((Read-PesterResult -ResultFile $resultFile -Label 'Windows lane (from Linux)' -ExitCode $LASTEXITCODE))

# 5. Nothing of the lane may outlive it: every process of the prefix (plugins, hosts, Wine's own services) must end
# by itself once the last program has exited.
$leftovers = Wait-WinePrefixIdle -Seconds 60
if ($leftovers) {
    $results.Add([pscustomobject]@{ Passed = 0; Failed = 1; Failures = @("Windows lane: processes still running after the lane: $($leftovers -join '; ')") })
    Stop-WinePrefix
} else {
    $results.Add([pscustomobject]@{ Passed = 1; Failed = 0; Failures = @() })
}

$passed = ($results | Measure-Object Passed -Sum).Sum
$failed = ($results | Measure-Object Failed -Sum).Sum
Write-Host ("Windows lane: {0} passed, {1} failed in {2:0.0} s (Wine prefix set-up {3:0.0} s)" -f $passed, $failed, $clock.Elapsed.TotalSeconds, $prefixTime)
[pscustomobject]@{ Passed = $passed; Failed = $failed; Failures = @($results | ForEach-Object { $_.Failures } | Where-Object { $_ }); Skipped = $null }
