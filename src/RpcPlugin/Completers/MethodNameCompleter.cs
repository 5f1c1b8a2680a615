using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Sessions;
using RpcPlugin.State;

namespace RpcPlugin.Completers;

/// <summary>Completes method names from the descriptors of the sessions the command line names (see <see cref="CompletionSessions"/>).</summary>
public sealed class MethodNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IEnumerable<PluginSession> sessions;
        if (parameterName == "Request")
        {
            // 'Invoke-RpcPluginMethod $s pkg.Svc/M<tab>': completion's pseudo-binder puts $s in -Method (any value
            // converts to a string) and the word being typed in -Request; the real binder gets it right.
            if (CompletionSessions.Unwrap(fakeBoundParameters["Method"]) is not RpcPluginSession shifted)
            {
                return Array.Empty<CompletionResult>();
            }

            sessions = new[] { SessionLookup.Of(shifted) };
        }
        else
        {
            sessions = CompletionSessions.Named(fakeBoundParameters);
        }

        return Complete(sessions, (wordToComplete ?? string.Empty).Trim('\'', '"'));
    }

    private static IEnumerable<CompletionResult> Complete(IEnumerable<PluginSession> sessions, string typed)
    {
        var results = new List<CompletionResult>();
        foreach (var (session, pool) in CompletionSessions.Loaded(sessions))
        {
            foreach (RpcServiceInfo service in ServiceCatalog.Describe(pool, session.Name, includeInternal: false))
            {
                foreach (RpcMethodInfo method in service.Methods)
                {
                    if (Matches(method, typed) && results.All(r => r.CompletionText != method.FullName))
                    {
                        string tip = $"{method.Kind}: {method.RequestType} → {method.ResponseType}" + (method.Description is null ? string.Empty : Environment.NewLine + method.Description);
                        results.Add(new CompletionResult(method.FullName, method.FullName, CompletionResultType.ParameterValue, tip));
                    }
                }
            }
        }

        return results.OrderBy(r => r.CompletionText, StringComparer.Ordinal);
    }

    private static bool Matches(RpcMethodInfo method, string typed) =>
        typed.Length == 0
        || method.FullName.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
        || method.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
        || (ServiceCatalog.ShortName(method.Service) + "/" + method.Name).StartsWith(typed, StringComparison.OrdinalIgnoreCase);
}
