using System.Collections;
using System.Management.Automation;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Sessions;
using RpcPlugin.State;

namespace RpcPlugin.Completers;

/// <summary>
/// The sessions a command line being completed names, and their descriptors: the -Session argument when it can be
/// evaluated (a variable), else -SessionName, else every session of the runspace. A session that is not ready, or
/// whose descriptors do not load within a few seconds, is passed over: Tab must not hang.
/// </summary>
internal static class CompletionSessions
{
    private static readonly TimeSpan DescriptorWait = TimeSpan.FromSeconds(3);

    /// <summary>The sessions the bound parameters name.</summary>
    public static IEnumerable<PluginSession> Named(IDictionary bound)
    {
        if (Unwrap(bound["Session"]) is RpcPluginSession info)
        {
            return new[] { SessionLookup.Of(info) };
        }

        if (bound["SessionName"] is not { } name)
        {
            return SessionLookup.All;
        }

        try
        {
            return SessionLookup.Named(SessionLookup.All, name.ToString() ?? string.Empty, "-SessionName");
        }
        catch (PluginException)
        {
            // A pattern that is not valid names no session; the command itself will say why.
            return Array.Empty<PluginSession>();
        }
    }

    /// <summary>The descriptors of the sessions the bound parameters name, with their session.</summary>
    public static IEnumerable<(PluginSession Session, DescriptorPool Pool)> Loaded(IDictionary bound) => Loaded(Named(bound));

    /// <summary>The descriptors of these sessions, with their session, leaving out those that cannot be had now.</summary>
    public static IEnumerable<(PluginSession Session, DescriptorPool Pool)> Loaded(IEnumerable<PluginSession> sessions)
    {
        foreach (PluginSession session in sessions)
        {
            if (TryLoad(session) is DescriptorPool pool)
            {
                yield return (session, pool);
            }
        }
    }

    /// <summary>A bound value as the binder left it: a script's value comes wrapped in a PSObject.</summary>
    public static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    private static DescriptorPool? TryLoad(PluginSession session)
    {
        if (session.State != RpcPluginSessionState.Ready)
        {
            return null;
        }

        try
        {
            var load = session.GetDescriptorsAsync(default);
            return load.Wait(DescriptorWait) ? load.Result : null;
        }
        catch (AggregateException)
        {
            return null;
        }
    }
}
