using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using RpcPlugin.Core;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Commands;

/// <summary>Completes service names from the session the command line names (as <see cref="MethodNameCompleter"/> finds it).</summary>
public sealed class ServiceNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (PluginSession session in MethodNameCompleter.Sessions(fakeBoundParameters))
        {
            if (MethodNameCompleter.TryLoad(session) is DescriptorPool pool)
            {
                foreach (RpcServiceInfo service in ServiceCatalog.Describe(pool, session.Name, includeInternal: false))
                {
                    string shortName = service.Name[(service.Name.LastIndexOf('.') + 1)..];
                    if (service.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || shortName.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                    {
                        names.Add(service.Name);
                    }
                }
            }
        }

        return names.Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
