using System.Collections.Concurrent;
using Google.Protobuf.Reflection;
using RpcPlugin.Commands;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Terraform;
using RpcPlugin.Output;

namespace RpcPlugin.Calls;

/// <summary>
/// What a call on a Terraform session adds to Invoke-RpcPluginMethod: DynamicValue fields built and projected by
/// the provider's schema (fetched once per session, within the call's -Timeout), cty types of schemas as text,
/// and the response's diagnostics written as errors (RpcPlugin.Terraform.Diagnostic) and warnings after it.
/// Requests are built so whatever the output form; -Raw and -AsJson leave responses untouched, diagnostics included.
/// </summary>
internal sealed class TerraformCallHooks
{
    private readonly InvokeRpcPluginMethodCommand command;
    private readonly PluginSession session;
    private readonly TerraformSession terraform;
    private readonly DynamicCall call;
    private readonly DescriptorPool pool;
    private readonly IRecordFactory? factory;
    private readonly ResponseFormatter formatter;
    private readonly ConcurrentQueue<(RpcPluginException? Error, string? Warning, object? Target)> pending = new();
    private DateTime? firstDeadline;
    private ProviderSchema? schema;
    private DynamicMessage? lastRequest;

    private TerraformCallHooks(InvokeRpcPluginMethodCommand command, PluginSession session, TerraformSession terraform, DynamicCall call, DescriptorPool pool, ResponseFormatter formatter, OutputForm form, DateTime? firstDeadline)
    {
        this.command = command;
        this.session = session;
        this.terraform = terraform;
        this.call = call;
        this.pool = pool;
        this.formatter = formatter;
        this.firstDeadline = firstDeadline;
        factory = form switch
        {
            OutputForm.Object => PSObjectRecordFactory.Instance,
            OutputForm.Hashtable => DictionaryRecordFactory.Instance,
            _ => null,
        };
    }

    /// <summary>The hooks of a call, or null when the session is not a Terraform one. -AsJson responses go to <paramref name="formatter"/> untouched.</summary>
    public static TerraformCallHooks? For(InvokeRpcPluginMethodCommand command, PluginSession session, DescriptorPool pool, DynamicCall call, ResponseFormatter formatter, OutputForm form, DateTime? firstDeadline) =>
        session.Terraform is { } terraform
            ? new TerraformCallHooks(command, session, terraform, call, pool, formatter, form, firstDeadline)
            : null;

    /// <summary>Builds a request; a failure (a value that does not fit the schema, no schema) is written and gives null.</summary>
    public DynamicMessage? Build(object? input)
    {
        MethodDescriptor method = call.Method;
        try
        {
            if (TerraformValueConverter.NeedsSchema(method))
            {
                schema ??= LoadSchema();
            }
        }
        catch (RpcPluginException e)
        {
            command.WriteFailure(e, call.Name);
            return null;
        }

        try
        {
            var builder = new MessageBuilder(PowerShellValueAdapter.Instance, pool.TypeResolver)
            {
                FieldConverter = TerraformValueConverter.ForRequest(method, schema, PowerShellValueAdapter.Instance),
            };
            return lastRequest = builder.Build(method.InputType, input);
        }
        catch (PluginException e)
        {
            command.WriteFailure(e, input);
            return null;
        }
    }

    /// <summary>
    /// Projects a response by the schema (on the pipeline thread, or a stream's reader) and queues its diagnostics,
    /// and any value that could not be decoded, for <see cref="WritePending"/>; -AsJson text as it is. Null for a
    /// message without fields.
    /// </summary>
    public object? Format(DynamicMessage response)
    {
        if (TerraformFields.IsSchemaResponse(response.Descriptor))
        {
            terraform.Offer(response);
        }

        if (factory is null || response.Descriptor.Fields.InDeclarationOrder().Count == 0)
        {
            return formatter.Format(response);
        }

        TerraformValueConverter converter = TerraformValueConverter.ForResponse(call.Method, schema, lastRequest);
        object? output = new MessageProjector(factory, pool.TypeResolver) { FieldConverter = converter }.Project(response);
        foreach (PluginException failure in converter.Failures)
        {
            pending.Enqueue((failure, null, call.Name));
        }

        foreach (TerraformDiagnostic diagnostic in TerraformDiagnostic.ReadAll(response))
        {
            string text = TerraformDiagnosticException.Describe(diagnostic.Summary, diagnostic.Detail, diagnostic.Attribute);
            pending.Enqueue(diagnostic.Severity == TerraformDiagnosticSeverity.Warning
                ? (null, text, null)
                : (new TerraformDiagnosticException(call.Name, diagnostic.Summary, diagnostic.Detail, diagnostic.Attribute), null, diagnostic.Attribute ?? call.Name));
        }

        return output;
    }

    /// <summary>Writes, on the pipeline thread and after the response they came with, the diagnostics queued so far.</summary>
    public void WritePending()
    {
        while (pending.TryDequeue(out var item))
        {
            if (item.Error is not null)
            {
                command.WriteFailure(item.Error, item.Target);
            }
            else
            {
                command.WriteWarning(item.Warning);
            }
        }
    }

    /// <summary>The provider's schema, waiting for its first fetch within the call's deadline, with the plugin's log shown meanwhile.</summary>
    private ProviderSchema LoadSchema()
    {
        if (terraform.TryGetSchema(out ProviderSchema? cached))
        {
            return cached;
        }

        DateTime? deadline = firstDeadline ?? call.NextDeadline();
        firstDeadline = null;
        command.WriteVerbose($"Fetching the schema of provider '{session.Name}' ({(terraform.ProtocolVersion == 6 ? "GetProviderSchema" : "GetSchema")}): {call.Name} carries values encoded by it.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(command.StopToken);
        if (deadline is { } until)
        {
            limit.CancelAfter(until - DateTime.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);
        }

        Task<ProviderSchema> fetch = terraform.GetSchemaAsync(limit.Token);
        using (command.ShowPluginLog(session))
        {
            command.WaitFor(fetch);
        }

        if (fetch.IsCompletedSuccessfully)
        {
            return fetch.Result;
        }

        Exception failure = fetch.Exception?.InnerException ?? new OperationCanceledException();
        throw failure switch
        {
            RpcPluginException known => known,
            OperationCanceledException when command.StopToken.IsCancellationRequested => new System.Management.Automation.PipelineStoppedException(),
            OperationCanceledException when session.State != RpcPluginSessionState.Ready => session.ClosedError(),
            OperationCanceledException => new RpcCallException(call.Name, RpcStatusCode.DeadlineExceeded, "no schema within the timeout", null,
                $"The call to {call.Name} did not complete within its timeout: the provider '{session.Name}' did not send its schema, which the call's values are encoded by, in that time.")
            {
                RecommendedAction = "Raise -Timeout (a large provider's schema takes a while the first time), or check the provider with Get-RpcPluginLog.",
            },
            _ => failure,
        };
    }
}
