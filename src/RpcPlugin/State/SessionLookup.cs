using System.Management.Automation;
using RpcPlugin.Arguments;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Sessions;

namespace RpcPlugin.State;

/// <summary>
/// The one way cmdlets find the sessions a user means: by object, by name (case-insensitive; a session's exact name
/// wins, else the name is a wildcard pattern), by id, or the runspace's only session. Reports names and ids that
/// match nothing, listing what is open.
/// </summary>
internal static class SessionLookup
{
    private const string Hint = "Run Get-RpcPlugin to see the sessions of this runspace.";

    /// <summary>The runspace's sessions, by id.</summary>
    public static IReadOnlyList<PluginSession> All => SessionRegistry.Current.Snapshot();

    /// <summary>The session behind a session object.</summary>
    public static PluginSession Of(RpcPluginSession session) => (PluginSession)session.Source;

    /// <summary>The one session meant: <paramref name="session"/>, else the one named <paramref name="sessionName"/>, else the only one.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.SessionNotFound"/>, listing the sessions.</exception>
    public static PluginSession Single(RpcPluginSession? session, string? sessionName)
    {
        if (session is not null)
        {
            return Of(session);
        }

        IReadOnlyList<PluginSession> sessions = All;
        if (sessionName is not null)
        {
            var named = Named(sessions, sessionName, "-SessionName").ToArray();
            return named.Length switch
            {
                1 => named[0],
                0 => throw NotFound($"No plugin session is named '{sessionName}'.{Listing(sessions)}", Hint),
                _ => throw NotFound(
                    $"{named.Length} plugin sessions match the name '{sessionName}' ({string.Join(", ", named.Select(Describe))}).",
                    "Pass the session object with -Session, e.g. (Get-RpcPlugin -Id N)."),
            };
        }

        return sessions.Count switch
        {
            1 => sessions[0],
            0 => throw NotFound("No plugin session is open in this runspace.", "Start one with Start-RpcPlugin, or pass a session with -Session."),
            _ => throw NotFound($"{sessions.Count} plugin sessions are open, so none is the default.{Listing(sessions)}", "Choose one with -Session or -SessionName."),
        };
    }

    /// <summary>Sessions whose names match any of <paramref name="names"/>, each once; <paramref name="missing"/> hears of plain names that match nothing.</summary>
    public static IReadOnlyList<PluginSession> ByName(IEnumerable<string> names, Action<PluginException, string> missing)
    {
        IReadOnlyList<PluginSession> sessions = All;
        var found = new List<PluginSession>();
        foreach (string name in names)
        {
            List<PluginSession> matches;
            try
            {
                matches = Named(sessions, name, "-Name").ToList();
            }
            catch (PluginException invalid)
            {
                missing(invalid, name);
                continue;
            }

            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                missing(NotFound($"No plugin session is named '{name}'.", Hint), name);
            }

            found.AddRange(matches.Where(m => !found.Contains(m)));
        }

        return found;
    }

    /// <summary>Sessions with the given ids, each once; <paramref name="missing"/> hears of ids that match nothing.</summary>
    public static IReadOnlyList<PluginSession> ById(IEnumerable<int> ids, Action<PluginException, int> missing)
    {
        IReadOnlyList<PluginSession> sessions = All;
        var found = new List<PluginSession>();
        foreach (int id in ids)
        {
            PluginSession? match = sessions.FirstOrDefault(s => s.Id == id);
            if (match is null)
            {
                missing(NotFound($"No plugin session has Id {id}.", Hint), id);
            }
            else if (!found.Contains(match))
            {
                found.Add(match);
            }
        }

        return found;
    }

    /// <summary>
    /// The sessions a name means: those with exactly that name (case-insensitive) when there are any, so that a
    /// session named 'web[1]' is never lost among those its name matches as a pattern ('web1'); else those it matches
    /// as a wildcard pattern.
    /// </summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/> for a pattern that is not valid, naming <paramref name="parameter"/>.</exception>
    public static IReadOnlyList<PluginSession> Named(IEnumerable<PluginSession> sessions, string name, string parameter)
    {
        var exact = sessions.Where(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (exact.Count > 0 || !WildcardPattern.ContainsWildcardCharacters(name))
        {
            return exact;
        }

        WildcardPattern pattern = WildcardArgument.Pattern(name, parameter);
        return sessions.Where(s => pattern.IsMatch(s.Name)).ToList();
    }

    private static PluginException NotFound(string message, string action) =>
        new(PluginErrorCode.SessionNotFound, message) { RecommendedAction = action };

    private static string Describe(PluginSession session) => $"'{session.Name}' (Id {session.Id}, {session.State})";

    private static string Listing(IReadOnlyList<PluginSession> sessions) =>
        sessions.Count == 0 ? " No sessions are open." : " Open sessions: " + string.Join(", ", sessions.Select(Describe)) + ".";
}
