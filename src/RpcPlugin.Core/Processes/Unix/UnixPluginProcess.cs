using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Processes.Unix;

/// <summary>
/// A plugin process on Linux or macOS, in a process group of its own and guarded by the watchdog. On Linux it
/// runs under rpcplugin-launcher when that was built (<see cref="LauncherBinary"/>): the launcher is a child
/// subreaper that ends every descendant of the plugin, even one that left its group or session, and that is the
/// process we wait for. Without the launcher, the plugin is our child and we end its group and descendants.
/// </summary>
internal sealed class UnixPluginProcess : IPluginProcess
{
    private readonly TaskCompletionSource<int?> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object gate = new();
    private readonly LauncherLink? launcher;
    private readonly long? startTime; // the plugin's, to know it again by pid if its launcher dies abnormally
    private readonly string? socketDirectory;
    private string? socketPath;
    private bool reaped;
    private bool launcherKilled;
    private bool groupGuarded = true;
    private bool filesGuarded = true;

    private UnixPluginProcess(int pid, Stream stdout, Stream stderr, LauncherLink? launcher, string? socketDirectory)
    {
        Id = pid;
        StandardOutput = stdout;
        StandardError = stderr;
        this.launcher = launcher;
        this.socketDirectory = socketDirectory;
        startTime = launcher is null ? null : UnixProcessTree.StartTime(pid);
    }

    public int Id { get; }

    public bool Owned => true;

    public Stream StandardOutput { get; }

    public Stream StandardError { get; }

    public Task<int?> Exited => exited.Task;

    public static UnixPluginProcess Start(ProcessStartSpec spec)
    {
        (int outRead, int outWrite) = UnixNative.CreatePipe();
        (int errRead, int errWrite) = UnixNative.CreatePipe();
        LauncherLink? link = null;
        int pid;
        try
        {
            if (LauncherBinary.Path is { } launcherPath)
            {
                link = LauncherLink.Start(launcherPath, spec, outWrite, errWrite, SpawnFailure);
            }

            pid = link?.PluginPid ?? UnixSpawner.Spawn(spec, -1, outWrite, errWrite);
        }
        catch
        {
            UnixNative.close(outRead);
            UnixNative.close(errRead);
            throw;
        }
        finally
        {
            UnixNative.close(outWrite);
            UnixNative.close(errWrite);
        }

        if (pid <= 0)
        {
            UnixNative.close(outRead);
            UnixNative.close(errRead);
            throw SpawnFailure(spec.FilePath, -pid);
        }

        ParentDeathWatchdog.Register(pid);
        if (spec.SocketDirectory is not null)
        {
            ParentDeathWatchdog.RegisterDirectory(spec.SocketDirectory);
        }

        var process = new UnixPluginProcess(pid, OpenRead(outRead), OpenRead(errRead), link, spec.SocketDirectory);
        UnixReaper.Watch(link?.LauncherPid ?? pid, process.OnExited);
        return process;
    }

    public bool RequestTermination()
    {
        lock (gate)
        {
            // Never signal a pid we have reaped: it may already belong to another process.
            if (reaped)
            {
            }
            else if (launcher is not null)
            {
                launcher.Send("t");
            }
            else
            {
                UnixNative.kill(Id, UnixNative.SIGTERM);
            }
        }

        return true;
    }

    public void KillTree()
    {
        bool wasReaped;
        lock (gate)
        {
            if (launcher is not null && !reaped)
            {
                launcher.Send("k"); // it kills the whole tree, reaps it, and then exits
                return;
            }

            wasReaped = reaped;
        }

        if (launcher is not null)
        {
            // Everything below a launcher that exited by itself is gone; one that was killed left the plugin's
            // tree to us, now re-parented to init.
            if (launcherKilled)
            {
                KillOrphanedTree();
            }

            return;
        }

        // Collect the tree before killing: once the plugin dies its children are re-parented and harder to find.
        IReadOnlyCollection<int> members = UnixProcessTree.Members(Id, wasReaped);
        lock (gate)
        {
            if (!reaped)
            {
                // Still ours (a zombie at worst): the number cannot have been reused, so the group is ours too.
                UnixNative.kill(Id, UnixNative.SIGKILL);
                UnixNative.kill(-Id, UnixNative.SIGKILL);
            }
        }

        foreach (int member in members)
        {
            UnixNative.kill(member, UnixNative.SIGKILL);
        }
    }

    /// <summary>The plugin's socket file: removed when the plugin is gone, by the launcher or, if we die, the watchdog.</summary>
    public void TrackSocket(string path)
    {
        lock (gate)
        {
            socketPath = path;
            launcher?.Send("s " + path);
        }

        ParentDeathWatchdog.RegisterSocket(path);
    }

    public void Dispose()
    {
        StandardOutput.Dispose();
        StandardError.Dispose();
        launcher?.Dispose();
        UnguardGroup();
        UnguardFiles();
    }

    private void OnExited(int status)
    {
        lock (gate)
        {
            reaped = true;
            launcherKilled = launcher is not null && UnixNative.KilledBySignal(status);
        }

        // Once the group is empty its id may be reused by an unrelated process: the watchdog must forget it.
        // A launcher that exited by itself emptied it; without one, look.
        if (launcher is not null ? !launcherKilled : UnixProcessTree.Members(Id, rootReaped: true).Count == 0)
        {
            UnguardGroup();
        }

        int code = UnixNative.DecodeWaitStatus(status);
        exited.TrySetResult(code < 0 ? null : code);
    }

    /// <summary>After its launcher was killed: the plugin (if it is still the process we started) and its group.</summary>
    private void KillOrphanedTree()
    {
        bool samePlugin = startTime is not null && UnixProcessTree.StartTime(Id) == startTime;
        foreach (int member in UnixProcessTree.Members(Id, rootReaped: !samePlugin))
        {
            UnixNative.kill(member, UnixNative.SIGKILL);
        }

        if (samePlugin)
        {
            UnixNative.kill(-Id, UnixNative.SIGKILL);
            UnixNative.kill(Id, UnixNative.SIGKILL);
        }
    }

    private void UnguardGroup()
    {
        lock (gate)
        {
            if (!groupGuarded)
            {
                return;
            }

            groupGuarded = false;
        }

        ParentDeathWatchdog.Unregister(Id);
    }

    /// <summary>Once the files are removed (disposal comes after), a path used again by others must not be touched.</summary>
    private void UnguardFiles()
    {
        string? socket;
        lock (gate)
        {
            if (!filesGuarded)
            {
                return;
            }

            filesGuarded = false;
            socket = socketPath;
        }

        if (socketDirectory is not null)
        {
            ParentDeathWatchdog.UnregisterDirectory(socketDirectory);
        }

        if (socket is not null)
        {
            ParentDeathWatchdog.UnregisterSocket(socket);
        }
    }

    private static Stream OpenRead(int fd) =>
        new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle((IntPtr)fd, ownsHandle: true));

    private static PluginException SpawnFailure(string path, int errno)
    {
        string why = errno switch
        {
            UnixNative.ENOENT => "it does not exist (or its interpreter, named on its #! line, does not)",
            UnixNative.EACCES => "it is not executable (check its permissions: chmod +x)",
            UnixNative.ENOEXEC => "it is not a program this system can run (wrong architecture, or a script without a #! line)",
            _ => $"posix_spawn failed with errno {errno}",
        };
        return new PluginException(PluginErrorCode.PluginNotFound, $"Cannot run the plugin '{path}': {why}.");
    }
}
