# Dot-sourced by the test helpers on every side (tests/RpcPlugin.Tests/TestHelpers.ps1, the Windows lane's files in
# Wine and on Linux): the one polling wait the tests use for things that happen in another process.

function Wait-Until {
    # Polls until the condition holds or -Seconds pass (generously: these machines are shared); returns whether it held.
    param([Parameter(Mandatory)] [scriptblock] $Condition, [double] $Seconds = 10)
    $until = [datetime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([datetime]::UtcNow -gt $until) { return $false }
        Start-Sleep -Milliseconds 50
    }
    $true
}
