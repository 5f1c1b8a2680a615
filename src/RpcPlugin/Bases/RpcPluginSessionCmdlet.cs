using System.Management.Automation;
using System.Text.RegularExpressions;
using RpcPlugin.Arguments;
using RpcPlugin.Completers;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Sessions;
using RpcPlugin.State;

namespace RpcPlugin.Bases;

/// <summary>
/// Base of cmdlets that act on one session, chosen by <c>-Session</c>, by <c>-SessionName</c>, or, when neither is
/// given, the runspace's only session. The two parameters are declared here once; a cmdlet that needs another
/// position or pipeline binding overrides the property with its own attributes.
/// </summary>
public abstract class RpcPluginSessionCmdlet : RpcPluginCmdlet
{
    /// <summary>The parameter set that takes a session object.</summary>
    protected const string BySession = "Session";

    /// <summary>The parameter set that names a session.</summary>
    protected const string BySessionName = "SessionName";

    private static readonly Regex SessionText = new(@"^.+ \(Id \d+, \w+\)$", RegexOptions.CultureInvariant);

    /// <summary>The session, first by position; the runspace's only session when neither this nor -SessionName is given.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = BySession)]
    [SessionArgument]
    [ValidateNotNull]
    public virtual RpcPluginSession? Session { get; set; }

    /// <summary>The name of the session (wildcards allowed when they match one session).</summary>
    [Parameter(Mandatory = true, ParameterSetName = BySessionName)]
    [ArgumentCompleter(typeof(SessionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public virtual string? SessionName { get; set; }

    /// <summary>
    /// The session the user meant, or an error that lists the choices. A session whose plugin exited by itself since
    /// it was last used gets a warning saying so.
    /// </summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.SessionNotFound"/>.</exception>
    protected PluginSession ResolveSession()
    {
        PluginSession resolved = SessionLookup.Single(Session, SessionName);
        if (resolved.TakeExitNotice() is { } notice)
        {
            WriteWarning(notice);
        }

        return resolved;
    }

    /// <summary>
    /// Runs <paramref name="action"/> with the session the user meant. Not finding it, and any RpcPlugin failure the
    /// action throws, become a non-terminating error, so a pipeline of sessions carries on.
    /// </summary>
    protected void WithSession(Action<PluginSession> action, object? target = null)
    {
        try
        {
            action(ResolveSession());
        }
        catch (RpcPluginException e)
        {
            WriteFailure(e, target ?? (object?)SessionName ?? Session);
        }
    }

    /// <summary>
    /// The session's descriptors (loaded once per session, then cached), showing plugin log lines meanwhile. With a
    /// <paramref name="timeout"/>, a load that takes longer fails as a call past its deadline would.
    /// </summary>
    /// <exception cref="RpcPluginException">The load failed, or <paramref name="timeout"/> passed.</exception>
    protected DescriptorPool LoadDescriptors(PluginSession session, TimeSpan? timeout = null, string? forCall = null)
    {
        if (session.TryGetDescriptors(out DescriptorPool? loaded))
        {
            return loaded;
        }

        WriteVerbose($"Waiting for the descriptors of plugin '{session.Name}' (server reflection and any -ProtoFile or -DescriptorSet given at start).");
        DescriptorPool pool;
        using (ShowPluginLog(session))
        {
            pool = Run(async token =>
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
                if (timeout is { } limit)
                {
                    deadline.CancelAfter(limit);
                }

                try
                {
                    return await session.GetDescriptorsAsync(deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    // Not Ctrl+C: either the session closed under the load, or the timeout passed.
                    throw session.State != RpcPluginSessionState.Ready ? session.ClosedError() : DescriptorTimeout(session, timeout, forCall);
                }
            });
        }

        WriteVerbose($"Descriptors of plugin '{session.Name}' loaded: {pool.Files.Count} files, {pool.Services.Count} services.");
        foreach (string warning in pool.Warnings)
        {
            WriteVerbose($"Descriptors of plugin '{session.Name}': {warning}");
        }

        return pool;
    }

    private static RpcCallException DescriptorTimeout(PluginSession session, TimeSpan? timeout, string? forCall) => new(
        forCall ?? session.Name,
        RpcStatusCode.DeadlineExceeded,
        "no descriptors within the timeout",
        null,
        $"The call to {forCall} did not complete within {timeout?.TotalSeconds:0.###} s: the plugin '{session.Name}' did not send its descriptors (server reflection) in that time.")
    {
        RecommendedAction = "Check that the plugin is responsive (Test-RpcPlugin), raise -Timeout, or give its .proto files with -ProtoFile at start.",
    };

    /// <summary>
    /// What to tell a user whose -Name is a session's display text (<c>Get-RpcPluginService $s</c> binds the session
    /// to the positional -Name); empty otherwise.
    /// </summary>
    protected string SessionGivenAsNameHint(string name) =>
        SessionText.IsMatch(name)
            ? $" '{name}' is a session, given where a name goes: pass it as -Session $s or through the pipeline ($s | {MyInvocation.MyCommand.Name})."
            : string.Empty;

    /// <summary>Whether a -Service style pattern matches a service by its full name or its name without the package.</summary>
    protected static bool ServiceMatches(WildcardPattern pattern, string serviceFullName) =>
        pattern.IsMatch(serviceFullName) || pattern.IsMatch(ServiceCatalog.ShortName(serviceFullName));
}
