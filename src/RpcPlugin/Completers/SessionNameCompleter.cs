using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RpcPlugin.State;

namespace RpcPlugin.Completers;

/// <summary>Completes session names from the sessions of the current runspace.</summary>
public sealed class SessionNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
        return SessionRegistry.Current.Snapshot()
            .Where(s => pattern.IsMatch(s.Name))
            .Select(s => s.Name)
            .Distinct()
            .Select(name => new CompletionResult(
                name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';' }) >= 0 ? "'" + name.Replace("'", "''") + "'" : name,
                name,
                CompletionResultType.ParameterValue,
                name));
    }
}
