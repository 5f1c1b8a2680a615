using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Completers;

/// <summary>Completes service names from the session the command line names (as <see cref="CompletionSessions"/> finds it).</summary>
public sealed class ServiceNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (_, pool) in CompletionSessions.Loaded(fakeBoundParameters))
        {
            // Names only: describing the services would also read every method's comments.
            foreach (ServiceDescriptor service in ServiceCatalog.Visible(pool))
            {
                if (service.FullName.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || service.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                {
                    names.Add(service.FullName);
                }
            }
        }

        return names.Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
