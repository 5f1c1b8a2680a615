using System.Globalization;
using System.Text;

namespace RpcPlugin.Core.Processes.Unix;

/// <summary>
/// Kills our plugins if this process dies without stopping them, even by SIGKILL. One small <c>sh</c> process per
/// host process reads a pipe whose only writer is us; we tell it each plugin's process group as it starts and
/// ends. When this process dies, the kernel closes the pipe, the shell's <c>read</c> sees end-of-file, and it
/// kills every group still registered, then removes the socket files and directories still registered, so that
/// nothing of ours stays in the temp directory.
/// </summary>
/// <remarks>
/// Chosen over PR_SET_PDEATHSIG because that works only on Linux, kills only the direct child, and fires when the
/// forking <i>thread</i> exits (a thread-pool thread retiring would kill a healthy plugin); a group kill also takes
/// grandchildren. The shell is POSIX sh, present on every Unix; the watchdog has its own process group so the
/// terminal's Ctrl+C does not reach it either.
/// </remarks>
internal sealed class ParentDeathWatchdog
{
    // Lines: +PGID / -PGID register and forget a process group; dPATH / DPATH our private socket directory;
    // sPATH / SPATH a plugin's socket file (removed only if it still is a socket). Paths are kept one per line
    // (they hold no newline) with globbing off, so spaces and wildcards in them are harmless.
    private const string Script =
        "trap '' INT HUP QUIT TSTP\n" +
        "set -f\n" +
        "nl='\n'\n" +
        "groups=''; dirs=''; socks=''\n" +
        "without() { out=''; IFS=$nl; for x in $1; do [ \"$x\" = \"$2\" ] || out=\"$out$nl$x\"; done; unset IFS; printf '%s' \"$out\"; }\n" +
        "while IFS= read -r line; do\n" +
        "  case \"$line\" in\n" +
        "    +*) groups=\"$groups ${line#+}\" ;;\n" +
        "    -*) keep=''; for g in $groups; do [ \"$g\" = \"${line#-}\" ] || keep=\"$keep $g\"; done; groups=$keep ;;\n" +
        "    d*) dirs=\"$dirs$nl${line#d}\" ;;\n" +
        "    D*) dirs=$(without \"$dirs\" \"${line#D}\") ;;\n" +
        "    s*) socks=\"$socks$nl${line#s}\" ;;\n" +
        "    S*) socks=$(without \"$socks\" \"${line#S}\") ;;\n" +
        "  esac\n" +
        "done\n" +
        // "--" so that dash reads -N as a process group rather than an option.
        "for g in $groups; do kill -s KILL -- -\"$g\" 2>/dev/null; kill -s KILL -- \"$g\" 2>/dev/null; done\n" +
        "IFS=$nl\n" +
        "for p in $socks; do [ -S \"$p\" ] && rm -f -- \"$p\"; done\n" +
        "for d in $dirs; do rm -rf -- \"$d\"; done\n";

    private static readonly object Gate = new();
    private static ParentDeathWatchdog? current;

    private readonly int pid;
    private readonly FileStream writer;

    private ParentDeathWatchdog(int pid, FileStream writer)
    {
        this.pid = pid;
        this.writer = writer;
    }

    /// <summary>Registers a plugin's process group (its pid: plugins lead their own group).</summary>
    public static void Register(int processGroup) => Send("+" + processGroup.ToString(CultureInfo.InvariantCulture));

    /// <summary>Forgets a process group once the plugin and its group are gone.</summary>
    public static void Unregister(int processGroup) => Send("-" + processGroup.ToString(CultureInfo.InvariantCulture));

    /// <summary>Remembers our private socket directory, to remove (recursively) if this process dies.</summary>
    public static void RegisterDirectory(string path) => SendPath('d', path);

    /// <summary>Forgets a socket directory that has been removed.</summary>
    public static void UnregisterDirectory(string path) => SendPath('D', path);

    /// <summary>Remembers a plugin's socket file, to remove (if it still is a socket) if this process dies.</summary>
    public static void RegisterSocket(string path) => SendPath('s', path);

    /// <summary>Forgets a socket file that has been removed (its path may be used again by someone else).</summary>
    public static void UnregisterSocket(string path) => SendPath('S', path);

    private static void SendPath(char kind, string path)
    {
        if (!path.Contains('\n', StringComparison.Ordinal) && !path.Contains('\0', StringComparison.Ordinal))
        {
            Send(kind + path);
        }
    }

    private static void Send(string line)
    {
        lock (Gate)
        {
            for (int attempt = 0; attempt < 2; attempt++)
            {
                current ??= Launch();
                try
                {
                    byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
                    current.writer.Write(bytes);
                    current.writer.Flush();
                    return;
                }
                catch (IOException)
                {
                    // The watchdog was killed by someone: start a new one. Its predecessor's registrations are
                    // lost, so this is best effort; the usual stop path does not depend on it.
                    current.writer.Dispose();
                    current = null;
                }
            }
        }
    }

    private static ParentDeathWatchdog Launch()
    {
        (int read, int write) = UnixNative.CreatePipe();
        try
        {
            var spec = new ProcessStartSpec("/bin/sh", new[] { "-c", Script, "rpcplugin-watchdog" }, WatchdogEnvironment(), "/");
            int pid = UnixSpawner.Spawn(spec, read, -1, -1);
            if (pid <= 0)
            {
                throw new InvalidOperationException($"Could not start the plugin watchdog (/bin/sh): error {-pid}.");
            }

            var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle((IntPtr)write, ownsHandle: true);
            write = -1;
            UnixReaper.Watch(pid, _ => { });
            return new ParentDeathWatchdog(pid, new FileStream(handle, FileAccess.Write, 1));
        }
        finally
        {
            UnixNative.close(read);
            if (write >= 0)
            {
                UnixNative.close(write);
            }
        }
    }

    private static System.Collections.Generic.Dictionary<string, string> WatchdogEnvironment() =>
        new() { ["PATH"] = "/usr/bin:/bin:/usr/sbin:/sbin" };

    /// <inheritdoc />
    public override string ToString() => $"watchdog pid {pid}";
}
