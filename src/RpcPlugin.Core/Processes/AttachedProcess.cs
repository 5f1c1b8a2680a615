namespace RpcPlugin.Core.Processes;

/// <summary>
/// A plugin process we attached to (a reattach config's pid) rather than started: not our child, so we cannot
/// wait for it, read its output or learn its exit code; we watch that its pid lives, and can end it by pid when
/// the user insists (Stop -Force), also after a stop stopped watching it.
/// </summary>
internal sealed class AttachedProcess : IPluginProcess
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(100);

    private readonly TaskCompletionSource<int?> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object gate = new();

    // When the process with this pid started, to tell it from a later one that was given the same pid.
    private readonly DateTime? started;
    private Timer? watch;

    public AttachedProcess(int pid)
    {
        Id = pid;
        started = ExternalProcess.StartTime(pid);
        Watch();
    }

    public int Id { get; }

    public bool Owned => false;

    public Stream StandardOutput => Stream.Null;

    public Stream StandardError => Stream.Null;

    /// <summary>Completes (with no exit code: it is not ours to know) once the pid is gone.</summary>
    public Task<int?> Exited => exited.Task;

    /// <summary>Not ours to ask politely beyond the Shutdown call; a forced stop kills it after the wait.</summary>
    public bool RequestTermination() => false;

    public void KillTree()
    {
        // Its children are not known to us: only the pid the reattach config named, and only while that pid is
        // still the process we attached to.
        if (exited.Task.IsCompleted)
        {
            return;
        }

        if (!IsOurs())
        {
            exited.TrySetResult(null); // gone, perhaps while nobody watched
            return;
        }

        ExternalProcess.Kill(Id);
        Watch(); // so that the kill is seen, also after Dispose stopped the watching
    }

    public void TrackSocket(string path)
    {
        // Not ours to remove.
    }

    public void Dispose()
    {
        lock (gate)
        {
            watch?.Dispose();
            watch = null;
        }
    }

    private void Watch()
    {
        lock (gate)
        {
            if (watch is null && !exited.Task.IsCompleted)
            {
                watch = new Timer(_ => Check(), null, TimeSpan.Zero, WatchInterval);
            }
        }
    }

    private bool IsOurs() =>
        ExternalProcess.IsAlive(Id) && (started is null || ExternalProcess.StartTime(Id) is not { } now || now == started);

    private void Check()
    {
        if (!ExternalProcess.IsAlive(Id))
        {
            Dispose();
            exited.TrySetResult(null);
        }
    }
}
