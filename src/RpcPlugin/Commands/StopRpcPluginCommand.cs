using System.Management.Automation;
using RpcPlugin.Arguments;
using RpcPlugin.Bases;
using RpcPlugin.Completers;
using RpcPlugin.Core.Sessions;
using RpcPlugin.State;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Stops plugin sessions and removes them from Get-RpcPlugin.</para>
/// <para type="description">Asks the plugin to shut down (GRPCController/Shutdown), waits up to -Timeout for it to
/// exit, then sends SIGTERM and finally kills its whole process tree. Sessions given together are stopped in
/// parallel. A session from Connect-RpcPlugin is only disconnected; -Force ends its plugin too.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "RpcPlugin", DefaultParameterSetName = BySession, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RpcPluginSession))]
public sealed class StopRpcPluginCommand : RpcPluginCmdlet
{
    private const string BySession = "Session";
    private const string ByName = "Name";
    private const string ById = "Id";

    private readonly List<PluginSession> targets = new();

    /// <summary>The sessions to stop.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = BySession)]
    [SessionArgument]
    [ValidateNotNull]
    public RpcPluginSession[] Session { get; set; } = Array.Empty<RpcPluginSession>();

    /// <summary>Names of sessions to stop; wildcards allowed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByName)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SessionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Ids of sessions to stop.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ById)]
    public int[] Id { get; set; } = Array.Empty<int>();

    /// <summary>How long to wait for a graceful exit before killing (default 2 s; 0 skips the wait).</summary>
    [Parameter]
    [TimeSpanArgument(AllowZero = true)]
    public TimeSpan Timeout { get; set; } = PluginSession.DefaultStopTimeout;

    /// <summary>
    /// Sessions that own their plugin: kill at once, without asking it to shut down. Sessions from
    /// Connect-RpcPlugin: also end the plugin (Shutdown, then kill by pid) instead of only disconnecting.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the stopped sessions to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (PluginSession session in Select())
        {
            if (!targets.Contains(session) && ShouldProcess($"{session.Name} (Id {session.Id}, pid {session.ProcessId})", "Stop plugin"))
            {
                targets.Add(session);
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (targets.Count == 0)
        {
            return;
        }

        // Removed first, so that a Ctrl+C during the wait cannot leave a half-stopped session listed.
        foreach (PluginSession session in targets)
        {
            SessionRegistry.Forget(session);
        }

        foreach (PluginSession session in targets.Where(s => Force && !s.Owned && s.ProcessId is null))
        {
            WriteWarning($"The session '{session.Name}' (Id {session.Id}) knows no process id (it was connected by address, not by a reattach config with a pid): -Force can only disconnect it, and the plugin itself keeps running.");
        }

        Task all = Task.WhenAll(targets.Select(s => s.StopAsync(Timeout, Force, Cancellation)));
        try
        {
            Run(_ => all);
        }
        finally
        {
            // A Ctrl+C cut the graceful waits of the stops this command began short; their kills still run and must
            // finish before we return. A stop that another command began goes on by itself: our wait on it ended
            // at once. Not Wait(): that throws for those cancelled waits.
            Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10))).GetAwaiter().GetResult();
        }

        foreach (PluginSession session in targets)
        {
            WriteVerbose($"Stopped plugin '{session.Name}' (Id {session.Id}); exit code {session.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}.");
            if (PassThru)
            {
                WriteObject(session.Info);
            }
        }
    }

    private IEnumerable<PluginSession> Select()
    {
        if (ParameterSetName == BySession)
        {
            return Session.Select(SessionLookup.Of);
        }

        return ParameterSetName == ById
            ? SessionLookup.ById(Id, (e, id) => WriteFailure(e, id))
            : SessionLookup.ByName(Name, (e, name) => WriteFailure(e, name));
    }
}
