namespace RpcPlugin.Core.Processes;

/// <summary>
/// A plugin process we attached to (a reattach config's pid) rather than started: not our child, so we cannot
/// wait for it, read its output or learn its exit code; we watch that its pid lives, and can end it by pid when
/// the user insists (Stop -Force).
/// </summary>
internal sealed class AttachedProcess : IPluginProcess
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(100);

    private readonly TaskCompletionSource<int?> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Timer watch;

    public AttachedProcess(int pid)
    {
        Id = pid;
        watch = new Timer(_ => Check(), null, WatchInterval, WatchInterval);
    }

    public int Id { get; }

    public bool Owned => false;

    public Stream StandardOutput => Stream.Null;

    public Stream StandardError => Stream.Null;

    /// <summary>Completes (with no exit code: it is not ours to know) once the pid is gone, or when we stop watching.</summary>
    public Task<int?> Exited => exited.Task;

    /// <summary>Not ours to ask politely beyond the Shutdown call; a forced stop kills it after the wait.</summary>
    public bool RequestTermination() => false;

    public void KillTree()
    {
        // Its children are not known to us: only the pid the reattach config named.
        if (!exited.Task.IsCompleted)
        {
            ExternalProcess.Kill(Id);
        }
    }

    public void TrackSocket(string path)
    {
        // Not ours to remove.
    }

    public void Dispose() => watch.Dispose();

    private void Check()
    {
        if (!ExternalProcess.IsAlive(Id))
        {
            watch.Dispose();
            exited.TrySetResult(null);
        }
    }
}
