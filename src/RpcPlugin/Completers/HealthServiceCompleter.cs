using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace RpcPlugin.Completers;

/// <summary>
/// Completes Test-RpcPlugin -Service: <c>plugin</c> (the name go-plugin registers its health under), <c>''</c> (the
/// whole server, as pyvider and plain gRPC servers report it), then the session's services by full name, which gRPC
/// health servers may also report on.
/// </summary>
public sealed class HealthServiceCompleter : IArgumentCompleter
{
    private static readonly IArgumentCompleter Services = new ServiceNameCompleter();

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var results = new List<CompletionResult>();
        if ("plugin".StartsWith(typed, StringComparison.OrdinalIgnoreCase))
        {
            results.Add(new CompletionResult("plugin", "plugin", CompletionResultType.ParameterValue, "go-plugin's health service name (checked first by default)"));
        }

        if (typed.Length == 0)
        {
            results.Add(new CompletionResult("''", "''", CompletionResultType.ParameterValue, "the whole server (pyvider and plain gRPC servers)"));
        }

        results.AddRange(Services.CompleteArgument(commandName, parameterName, wordToComplete ?? string.Empty, commandAst, fakeBoundParameters)
            .Where(r => r.CompletionText != "plugin"));
        return results;
    }
}
