using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Completers;

/// <summary>
/// Completes Invoke-RpcPluginMethod's -Request with the request skeleton of the method already on the command line,
/// as a hashtable literal with every field at its default (<c>@{ message = ''; delay_ms = 0 }</c>), so that Tab
/// gives the field names. PowerShell completes keys inside a hashtable literal by itself, from the parameter's .NET
/// type, and never asks an argument completer, so this is where the field names can come from. When the method slot
/// holds the session (<c>Invoke-RpcPluginMethod $s pkg.Svc/M&lt;Tab&gt;</c>, as completion's pseudo-binder places
/// it), the word is the method and method names are completed.
/// </summary>
public sealed class RequestCompleter : IArgumentCompleter
{
    private static readonly IArgumentCompleter Methods = new MethodNameCompleter();

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        object? method = CompletionSessions.Unwrap(fakeBoundParameters["Method"]);
        if (method is RpcPluginSession piped)
        {
            // 'Invoke-RpcPluginMethod $s pkg.Svc/M -Request <Tab>': the method is the positional word after the session.
            if (MethodAfterSession(commandAst, wordToComplete) is not { } named)
            {
                return Methods.CompleteArgument(commandName, parameterName, wordToComplete, commandAst, fakeBoundParameters);
            }

            method = named;
            fakeBoundParameters = new Hashtable { ["Session"] = piped };
        }

        string typed = wordToComplete ?? string.Empty;
        if (method is not string name || !(typed.Length == 0 || "@{".StartsWith(typed, StringComparison.Ordinal)))
        {
            return Array.Empty<CompletionResult>();
        }

        foreach (var (session, pool) in CompletionSessions.Loaded(fakeBoundParameters))
        {
            MethodDescriptor resolved;
            try
            {
                resolved = MethodResolver.Resolve(pool.Services, name);
            }
            catch (PluginException)
            {
                continue;
            }

            string literal = RequestLiteral.Of(MessageTemplate.For(resolved.InputType));
            string fields = string.Join(Environment.NewLine, TypeCatalog.Describe(pool, resolved.InputType, session.Name).Fields.Select(f => f.ToString()));
            return new[] { new CompletionResult(literal, "@{ " + resolved.InputType.Name + " }", CompletionResultType.ParameterValue, resolved.InputType.FullName + Environment.NewLine + fields) };
        }

        return Array.Empty<CompletionResult>();
    }

    /// <summary>The second word of the command line when it is a bare word before any named parameter: the method, after the session.</summary>
    private static string? MethodAfterSession(CommandAst commandAst, string wordToComplete)
    {
        var leading = commandAst.CommandElements.Skip(1).TakeWhile(e => e is not CommandParameterAst).ToList();
        return leading.Count >= 2 && leading[1] is StringConstantExpressionAst { Value: var name } && name != wordToComplete ? name : null;
    }
}
