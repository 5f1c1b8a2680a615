using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Output;

namespace RpcPlugin.State;

/// <summary>Picks sessions by name (wildcards) or id, reporting names and ids that match nothing.</summary>
internal static class SessionSelector
{
    private const string Hint = "Run Get-RpcPlugin to see the sessions of this runspace.";

    /// <summary>Sessions whose names match any pattern, each once; <paramref name="missing"/> hears of plain names that match nothing.</summary>
    public static IReadOnlyList<PluginSession> ByName(IReadOnlyList<PluginSession> sessions, IEnumerable<string> names, Action<PluginException, string> missing)
    {
        var found = new List<PluginSession>();
        foreach (string name in names)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            PluginSession[] matches = sessions.Where(s => pattern.IsMatch(s.Name)).ToArray();
            if (matches.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                missing(ErrorRecords.SessionNotFound($"No plugin session is named '{name}'.", Hint), name);
            }

            found.AddRange(matches.Where(m => !found.Contains(m)));
        }

        return found;
    }

    /// <summary>Sessions with the given ids; <paramref name="missing"/> hears of ids that match nothing.</summary>
    public static IReadOnlyList<PluginSession> ById(IReadOnlyList<PluginSession> sessions, IEnumerable<int> ids, Action<PluginException, int> missing)
    {
        var found = new List<PluginSession>();
        foreach (int id in ids)
        {
            PluginSession? match = sessions.FirstOrDefault(s => s.Id == id);
            if (match is null)
            {
                missing(ErrorRecords.SessionNotFound($"No plugin session has Id {id}.", Hint), id);
            }
            else if (!found.Contains(match))
            {
                found.Add(match);
            }
        }

        return found;
    }
}
