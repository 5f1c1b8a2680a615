using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using RpcPlugin.Core.Sessions;

namespace RpcPlugin.State;

/// <summary>
/// The sessions of one runspace. Jobs, <c>ForEach-Object -Parallel</c> and remoting each get their own; when a
/// runspace closes or breaks, its owned plugins are stopped (others keep theirs).
/// </summary>
internal sealed class SessionRegistry
{
    /// <summary>How long cleanup at runspace close or process exit lets a plugin exit gracefully.</summary>
    internal static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(1);

    private static readonly ConcurrentDictionary<Guid, SessionRegistry> Registries = new();
    private readonly List<PluginSession> sessions = new();
    private readonly Runspace runspace;

    private SessionRegistry(Runspace runspace)
    {
        this.runspace = runspace;
        runspace.StateChanged += OnRunspaceStateChanged;
    }

    /// <summary>The registry of the runspace running the current command.</summary>
    public static SessionRegistry Current
    {
        get
        {
            Runspace runspace = Runspace.DefaultRunspace
                ?? throw new InvalidOperationException("RpcPlugin cmdlets must run in a PowerShell runspace.");
            return Registries.GetOrAdd(runspace.InstanceId, _ => new SessionRegistry(runspace));
        }
    }

    public void Add(PluginSession session)
    {
        lock (sessions)
        {
            sessions.Add(session);
        }
    }

    /// <summary>A copy, ordered by id, safe to enumerate while sessions come and go.</summary>
    public IReadOnlyList<PluginSession> Snapshot()
    {
        lock (sessions)
        {
            return sessions.OrderBy(s => s.Id).ToArray();
        }
    }

    /// <summary>Removes a session from whichever runspace's registry lists it.</summary>
    public static void Forget(PluginSession session)
    {
        foreach (SessionRegistry registry in Registries.Values)
        {
            lock (registry.sessions)
            {
                registry.sessions.Remove(session);
            }
        }
    }

    /// <summary>Stops this runspace's sessions (module removal, runspace close).</summary>
    public void StopAll()
    {
        IReadOnlyList<PluginSession> doomed;
        lock (sessions)
        {
            doomed = sessions.ToArray();
            sessions.Clear();
        }

        StopQuickly(doomed);
    }

    /// <summary>Stops every session of every runspace (process exit).</summary>
    public static void StopEverything()
    {
        foreach (SessionRegistry registry in Registries.Values)
        {
            registry.StopAll();
        }
    }

    private static void StopQuickly(IReadOnlyList<PluginSession> doomed)
    {
        if (doomed.Count == 0)
        {
            return;
        }

        // In parallel and with a short grace period: this runs while PowerShell is closing something.
        Task all = Task.WhenAll(doomed.Select(s => s.StopAsync(CleanupTimeout)));
        all.Wait(CleanupTimeout + TimeSpan.FromSeconds(6));
    }

    private void OnRunspaceStateChanged(object? sender, RunspaceStateEventArgs e)
    {
        if (e.RunspaceStateInfo.State is RunspaceState.Closing or RunspaceState.Closed or RunspaceState.Broken)
        {
            runspace.StateChanged -= OnRunspaceStateChanged;
            Registries.TryRemove(runspace.InstanceId, out _);
            StopAll();
        }
    }
}
