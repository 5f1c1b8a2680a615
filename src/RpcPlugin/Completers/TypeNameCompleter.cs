using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Completers;

/// <summary>
/// Completes message type names (New-RpcPluginMessage -TypeName) or message and enum type names
/// (Get-RpcPluginMessageType -Name) from the session the command line names, as <see cref="CompletionSessions"/>
/// finds it. What is typed matches the full name or the name without its package; plumbing types only when typed.
/// </summary>
public sealed class TypeNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"').TrimStart('.');
        bool messagesOnly = string.Equals(parameterName, "TypeName", StringComparison.OrdinalIgnoreCase);
        var names = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, pool) in CompletionSessions.Loaded(fakeBoundParameters))
        {
            // Plumbing (google.protobuf.*, plugin.*) only once the user types into it.
            foreach (IDescriptor type in TypeCatalog.Types(pool, includeInternal: typed.Contains('.')))
            {
                if ((!messagesOnly || type is MessageDescriptor) && TypeCatalog.NamesOf(type.FullName).Any(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase)))
                {
                    names.TryAdd(type.FullName, type is EnumDescriptor ? "enum " + type.FullName : "message " + type.FullName);
                }
            }
        }

        return names.Select(n => new CompletionResult(n.Key, n.Key, CompletionResultType.ParameterValue, n.Value));
    }
}
