using System;
using System.Linq;
using System.Management.Automation;
using RpcPlugin.Arguments;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Output;
using RpcPlugin.State;

namespace RpcPlugin.Bases;

/// <summary>
/// Base of cmdlets that act on one session, chosen by <c>-Session</c>, by <c>-SessionName</c>, or, when neither is
/// given, the runspace's only session.
/// </summary>
public abstract class RpcPluginSessionCmdlet : RpcPluginCmdlet
{
    /// <summary>
    /// Finds the session the user meant, or throws an error that lists the choices. A session whose plugin exited
    /// by itself since it was last used gets a warning saying so.
    /// </summary>
    protected PluginSession ResolveSession(RpcPluginSession? session, string? sessionName)
    {
        PluginSession resolved = Find(session, sessionName);
        if (resolved.TakeExitNotice() is { } notice)
        {
            WriteWarning(notice);
        }

        return resolved;
    }

    private static PluginSession Find(RpcPluginSession? session, string? sessionName)
    {
        if (session is not null)
        {
            return Unwrap(session);
        }

        var sessions = SessionRegistry.Current.Snapshot();
        if (sessionName is not null)
        {
            var named = sessions.Where(s => string.Equals(s.Name, sessionName, System.StringComparison.OrdinalIgnoreCase)).ToArray();
            return named.Length switch
            {
                1 => named[0],
                0 => throw ErrorRecords.SessionNotFound(
                    $"No plugin session is named '{sessionName}'.{Listing(sessions)}",
                    "Run Get-RpcPlugin to see the sessions of this runspace."),
                _ => throw ErrorRecords.SessionNotFound(
                    $"{named.Length} plugin sessions are named '{sessionName}' (Ids {string.Join(", ", named.Select(s => s.Id))}).",
                    "Pass the session object with -Session, e.g. (Get-RpcPlugin -Id N)."),
            };
        }

        return sessions.Count switch
        {
            1 => sessions[0],
            0 => throw ErrorRecords.SessionNotFound(
                "No plugin session is open in this runspace.",
                "Start one with Start-RpcPlugin, or pass a session with -Session."),
            _ => throw ErrorRecords.SessionNotFound(
                $"{sessions.Count} plugin sessions are open, so none is the default.{Listing(sessions)}",
                "Choose one with -Session or -SessionName."),
        };
    }

    /// <summary>
    /// Runs <paramref name="action"/> with the session the user meant. Not finding it, and any PluginException the
    /// action throws, become a non-terminating error, so a pipeline of sessions carries on.
    /// </summary>
    protected void WithSession(RpcPluginSession? session, string? sessionName, Action<PluginSession> action, object? target = null)
    {
        try
        {
            action(ResolveSession(session, sessionName));
        }
        catch (PluginException e)
        {
            WriteFailure(e, target ?? (object?)sessionName ?? session);
        }
    }

    /// <summary>The session's descriptors (loaded once per session, then cached), showing plugin log lines meanwhile.</summary>
    protected DescriptorPool LoadDescriptors(PluginSession session)
    {
        if (session.TryGetDescriptors(out DescriptorPool? loaded))
        {
            return loaded;
        }

        WriteVerbose($"Waiting for the descriptors of plugin '{session.Name}' (server reflection and any -ProtoFile or -DescriptorSet given at start).");
        DescriptorPool pool;
        using (ShowPluginLog(session))
        {
            pool = Run(token => session.GetDescriptorsAsync(token));
        }

        WriteVerbose($"Descriptors of plugin '{session.Name}' loaded: {pool.Files.Count} files, {pool.Services.Count} services.");
        foreach (string warning in pool.Warnings)
        {
            WriteVerbose($"Descriptors of plugin '{session.Name}': {warning}");
        }

        return pool;
    }

    /// <summary>
    /// What to tell a user whose -Name is a session's display text (<c>Get-RpcPluginService $s</c> binds the session
    /// to the positional -Name); empty otherwise.
    /// </summary>
    protected string SessionGivenAsNameHint(string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, @"^.+ \(Id \d+, \w+\)$")
            ? $" '{name}' is a session, given where a name goes: pass it as -Session $s or through the pipeline ($s | {MyInvocation.MyCommand.Name})."
            : string.Empty;

    /// <summary>Whether a -Service style pattern matches a service by its full name or its name without the package.</summary>
    protected static bool ServiceMatches(WildcardPattern pattern, string serviceFullName) =>
        pattern.IsMatch(serviceFullName) || pattern.IsMatch(ServiceCatalog.ShortName(serviceFullName));

    /// <summary>The core session behind a session object.</summary>
    protected static PluginSession Unwrap(RpcPluginSession session) => (PluginSession)session.Source;

    private static string Listing(System.Collections.Generic.IReadOnlyList<PluginSession> sessions) =>
        sessions.Count == 0 ? " No sessions are open." : " Open sessions: " + string.Join(", ", sessions.Select(s => $"'{s.Name}' (Id {s.Id}, {s.State})")) + ".";
}
