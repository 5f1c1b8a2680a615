# Helpers shared by Invoke-Benchmarks.ps1 and Measure-Sessions.ps1: statistics, child processes, memory probes.
# Dot-source it; it defines functions only.

function Get-SampleStats {
    # Median, p10, p90 (linear interpolation between order statistics), min, max of a sample.
    param([double[]] $Values)
    if ($null -eq $Values -or $Values.Count -eq 0) { return $null }
    $sorted = [double[]]($Values | Sort-Object)
    $at = {
        param([double] $q)
        $position = $q * ($sorted.Count - 1)
        $low = [Math]::Floor($position); $high = [Math]::Ceiling($position)
        $sorted[$low] + ($sorted[$high] - $sorted[$low]) * ($position - $low)
    }
    [ordered]@{
        samples = $sorted.Count
        median  = & $at 0.5
        p10     = & $at 0.1
        p90     = & $at 0.9
        min     = $sorted[0]
        max     = $sorted[-1]
    }
}

function Get-ChildPids {
    # Every descendant of a process (Linux: from /proc/<pid>/stat), deepest last.
    param([int] $ProcessId)
    if (-not $IsLinux) { return @() }
    $parents = @{}
    foreach ($dir in [IO.Directory]::GetDirectories('/proc')) {
        $name = [IO.Path]::GetFileName($dir)
        if ($name -notmatch '^\d+$') { continue }
        try {
            $stat = [IO.File]::ReadAllText("$dir/stat")
            # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
            $rest = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
            $parents[[int]$name] = [int]$rest[1]
        } catch { }
    }
    $found = [Collections.Generic.List[int]]::new()
    $queue = [Collections.Generic.Queue[int]]::new(); $queue.Enqueue($ProcessId)
    while ($queue.Count -gt 0) {
        $current = $queue.Dequeue()
        foreach ($entry in $parents.GetEnumerator()) {
            if ($entry.Value -eq $current -and -not $found.Contains($entry.Key)) { $found.Add($entry.Key); $queue.Enqueue($entry.Key) }
        }
    }
    , $found.ToArray()
}

function Test-ProcessAlive {
    param([int] $ProcessId)
    if ($IsLinux) {
        # A zombie has exited: only its parent's wait is missing.
        $status = "/proc/$ProcessId/status"
        if (-not (Test-Path $status)) { return $false }
        try { return -not ((Get-Content -Raw $status) -match '(?m)^State:\s+Z') } catch { return $false }
    }
    try { $p = [Diagnostics.Process]::GetProcessById($ProcessId); -not $p.HasExited } catch { $false }
}

function Stop-ProcessTree {
    # SIGTERM first (go-host then kills its plugin the go-plugin way), then SIGKILL for the whole tree.
    param([int] $ProcessId, [int] $GraceMilliseconds = 2000)
    $children = Get-ChildPids $ProcessId
    if (Test-ProcessAlive $ProcessId) {
        if ($IsLinux -or $IsMacOS) { & kill -TERM $ProcessId 2>$null }
        $deadline = [DateTime]::UtcNow.AddMilliseconds($GraceMilliseconds)
        while ((Test-ProcessAlive $ProcessId) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
    }
    foreach ($id in @($ProcessId) + $children) {
        if (Test-ProcessAlive $id) { try { [Diagnostics.Process]::GetProcessById($id).Kill($true) } catch { } }
    }
}

function Invoke-TimedProcess {
    # Runs a program to its end and times it from Process.Start to exit. Returns milliseconds, exit code, output.
    param(
        [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [int] $TimeoutSeconds = 60,
        [hashtable] $Environment = @{}
    )
    $psi = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $start = [Diagnostics.Stopwatch]::GetTimestamp()
    $process = [Diagnostics.Process]::Start($psi)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            Stop-ProcessTree $process.Id
            throw "$FilePath $($ArgumentList -join ' ') did not finish within $TimeoutSeconds s (killed)."
        }
        $process.WaitForExit()
        $ms = [Diagnostics.Stopwatch]::GetElapsedTime($start).TotalMilliseconds
        [pscustomobject]@{ Milliseconds = $ms; ExitCode = $process.ExitCode; Stdout = $stdout.GetAwaiter().GetResult(); Stderr = $stderr.GetAwaiter().GetResult(); Pid = $process.Id }
    } finally {
        $process.Dispose()
    }
}

function Get-ManagedHeap {
    # Managed heap after a full, compacting collection.
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    [GC]::GetTotalMemory($true)
}

function Get-PrivateBytes {
    # Linux: Private_Clean + Private_Dirty of /proc/self/smaps_rollup (pages no other process shares);
    # elsewhere Process.PrivateMemorySize64.
    if ($IsLinux -and (Test-Path /proc/self/smaps_rollup)) {
        $text = [IO.File]::ReadAllText('/proc/self/smaps_rollup')
        $kb = 0L
        foreach ($m in [regex]::Matches($text, '(?m)^Private_(?:Clean|Dirty):\s+(\d+) kB')) { $kb += [long]$m.Groups[1].Value }
        return $kb * 1024
    }
    $p = [Diagnostics.Process]::GetCurrentProcess(); $p.Refresh(); $p.PrivateMemorySize64
}

function Get-OpenHandleCount {
    # Open file descriptors (Linux /proc/self/fd); elsewhere Process.HandleCount. -ExceptAssemblies leaves out the
    # descriptors that hold loaded assembly files (.dll), which the runtime opens once per assembly it loads, late
    # ones included (a method recompiled at tier 1 can load an assembly its first compilation did not need): the
    # assembly count shows those; what stays is sockets, pipes and files.
    param([switch] $ExceptAssemblies)
    if ($IsLinux) {
        $entries = [IO.Directory]::GetFileSystemEntries('/proc/self/fd')
        if (-not $ExceptAssemblies) { return $entries.Count }
        $target = { param($fd) try { "$([IO.File]::ResolveLinkTarget($fd, $false))" } catch { '' } } # the listing's own fd is gone by now
        return @($entries | Where-Object { -not (& $target $_).EndsWith('.dll') }).Count
    }
    $p = [Diagnostics.Process]::GetCurrentProcess(); $p.Refresh(); $p.HandleCount
}

function Get-PwshCommand {
    # How to start another pwsh like this one: `dotnet pwsh` runs pwsh.dll under the dotnet host.
    $process = [Environment]::ProcessPath
    $entry = [Environment]::GetCommandLineArgs()[0]
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, $entry) } else { , @($process) }
}
