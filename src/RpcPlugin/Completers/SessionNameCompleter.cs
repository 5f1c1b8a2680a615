using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RpcPlugin.Arguments;
using RpcPlugin.Core.Errors;
using RpcPlugin.State;

namespace RpcPlugin.Completers;

/// <summary>Completes session names from the sessions of the current runspace.</summary>
public sealed class SessionNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        // What is typed is the start of a name ('web[' completes to 'web[1]'), or a pattern when it is a valid one.
        WildcardPattern? pattern = null;
        try
        {
            pattern = WildcardArgument.Pattern(typed + "*", "-SessionName");
        }
        catch (PluginException)
        {
            // Not a pattern ('web['): only the names that start with it.
        }

        return SessionRegistry.Current.Snapshot()
            .Where(s => s.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || pattern?.IsMatch(s.Name) == true)
            .Select(s => s.Name)
            .Distinct()
            .Select(name => new CompletionResult(
                name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';' }) >= 0 ? "'" + name.Replace("'", "''") + "'" : name,
                name,
                CompletionResultType.ParameterValue,
                name));
    }
}
