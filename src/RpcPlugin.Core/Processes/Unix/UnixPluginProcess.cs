using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipes;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Processes;

namespace RpcPlugin.Core.Processes.Unix;

/// <summary>A plugin process on Linux or macOS: spawned in its own process group and guarded by the watchdog.</summary>
internal sealed class UnixPluginProcess : IPluginProcess
{
    private readonly TaskCompletionSource<int?> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object gate = new();
    private bool reaped;
    private bool guarded = true;

    private UnixPluginProcess(int pid, Stream stdout, Stream stderr)
    {
        Id = pid;
        StandardOutput = stdout;
        StandardError = stderr;
    }

    public int Id { get; }

    public Stream StandardOutput { get; }

    public Stream StandardError { get; }

    public bool Owned => true;

    public Task<int?> Exited => exited.Task;

    public static UnixPluginProcess Start(ProcessStartSpec spec)
    {
        (int outRead, int outWrite) = UnixNative.CreatePipe();
        (int errRead, int errWrite) = UnixNative.CreatePipe();
        int pid;
        try
        {
            pid = UnixSpawner.Spawn(spec, -1, outWrite, errWrite);
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
        var process = new UnixPluginProcess(pid, OpenRead(outRead), OpenRead(errRead));
        UnixReaper.Watch(pid, process.OnExited);
        return process;
    }

    public bool RequestTermination()
    {
        lock (gate)
        {
            // Never signal a pid we have reaped: it may already belong to another process.
            if (!reaped)
            {
                UnixNative.kill(Id, UnixNative.SIGTERM);
            }
        }

        return true;
    }

    public void KillTree()
    {
        // Collect the tree before killing: once the plugin dies its children are re-parented and harder to find.
        bool wasReaped;
        lock (gate)
        {
            wasReaped = reaped;
        }

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

    public void Dispose()
    {
        StandardOutput.Dispose();
        StandardError.Dispose();
        Unguard();
    }

    private void OnExited(int code)
    {
        lock (gate)
        {
            reaped = true;
        }

        // Once the group is empty its id may be reused by an unrelated process: the watchdog must forget it.
        if (UnixProcessTree.Members(Id, rootReaped: true).Count == 0)
        {
            Unguard();
        }

        exited.TrySetResult(code);
    }

    private void Unguard()
    {
        lock (gate)
        {
            if (!guarded)
            {
                return;
            }

            guarded = false;
        }

        ParentDeathWatchdog.Unregister(Id);
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
