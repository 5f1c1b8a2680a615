using System.Diagnostics;
using System.Globalization;

namespace RpcPlugin.Core.Processes.Unix;

/// <summary>
/// Finds the processes that belong to a plugin: its descendants (by parent pid) and the members of its process
/// group (which catches children whose parent already died and that were re-parented to init).
/// </summary>
internal static class UnixProcessTree
{
    /// <summary>
    /// The processes to end with a plugin, excluding the plugin itself. While the plugin is alive (not reaped) its
    /// pid is its own: every descendant by parent pid, and every member of its process group. Once reaped, its pid
    /// may have been given to an unrelated process, so only its group counts, and only while the group has no
    /// leader: a process whose pid equals the group id would be a newcomer that took the freed number (Linux never
    /// reuses a number that a live process still uses as its group id, so orphans of our group keep it ours).
    /// </summary>
    public static IReadOnlyCollection<int> Members(int root, bool rootReaped)
    {
        List<(int Pid, int Parent, int Group)> table = OperatingSystem.IsLinux() ? ReadProc() : ReadPs();
        var result = new HashSet<int>();
        if (rootReaped)
        {
            if (table.Exists(p => p.Pid == root))
            {
                return result; // the number belongs to someone else now
            }

            foreach ((int pid, _, int pgid) in table)
            {
                if (pgid == root)
                {
                    result.Add(pid);
                }
            }

            return result;
        }

        var pending = new Queue<int>();
        pending.Enqueue(root);
        while (pending.Count > 0)
        {
            int parent = pending.Dequeue();
            foreach ((int pid, int ppid, _) in table)
            {
                if (ppid == parent && pid != root && result.Add(pid))
                {
                    pending.Enqueue(pid);
                }
            }
        }

        foreach ((int pid, _, int pgid) in table)
        {
            if (pgid == root && pid != root)
            {
                result.Add(pid);
            }
        }

        return result;
    }

    /// <summary>
    /// When the process started (clock ticks after boot, /proc/PID/stat field 22), which together with its pid
    /// tells it from a later process given the same number; null when it is gone or not on Linux.
    /// </summary>
    public static long? StartTime(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            string[] rest = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

            // rest[0] is field 3 (state), so field 22 is rest[19].
            return rest.Length > 19 && long.TryParse(rest[19], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) ? ticks : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static List<(int, int, int)> ReadProc()
    {
        var table = new List<(int, int, int)>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // exited while we looked
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid pgrp ..." where comm may contain spaces and parentheses.
            int close = stat.LastIndexOf(')');
            if (close < 0)
            {
                continue;
            }

            string[] rest = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (rest.Length > 2
                && int.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ppid)
                && int.TryParse(rest[2], NumberStyles.None, CultureInfo.InvariantCulture, out int pgrp))
            {
                table.Add((pid, ppid, pgrp));
            }
        }

        return table;
    }

    private static List<(int, int, int)> ReadPs()
    {
        var table = new List<(int, int, int)>();
        var info = new ProcessStartInfo("ps", "-axo pid=,ppid=,pgid=")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using Process? ps = Process.Start(info);
        if (ps is null)
        {
            return table;
        }

        string output = ps.StandardOutput.ReadToEnd();
        ps.WaitForExit();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3
                && int.TryParse(parts[0], out int pid)
                && int.TryParse(parts[1], out int ppid)
                && int.TryParse(parts[2], out int pgid))
            {
                table.Add((pid, ppid, pgid));
            }
        }

        return table;
    }
}
