using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Sessions;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// The Terraform side of a provider's session: its protocol version and the provider's schema, fetched once
/// (GetProviderSchema on protocol 6, GetSchema on 5) on first use and cached, since every value a provider takes or
/// gives is encoded by it. A failed fetch is not cached: the next caller tries again.
/// </summary>
public sealed class TerraformSession
{
    private readonly PluginSession session;
    private readonly CancellationToken lifetime;
    private readonly object gate = new();
    private Task<ProviderSchema>? loading;

    internal TerraformSession(PluginSession session, int protocolVersion, CancellationToken lifetime)
    {
        this.session = session;
        this.lifetime = lifetime;
        ProtocolVersion = protocolVersion;
    }

    /// <summary>The provider protocol in use: 5 or 6.</summary>
    public int ProtocolVersion { get; }

    /// <summary>The provider service: <c>tfplugin5.Provider</c> or <c>tfplugin6.Provider</c>.</summary>
    public string ProviderService => TerraformProtocol.ProviderService(ProtocolVersion);

    /// <summary>The schema, if it has been fetched already (the fast path of repeated calls).</summary>
    public bool TryGetSchema([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProviderSchema? schema)
    {
        Task<ProviderSchema>? current = Volatile.Read(ref loading);
        schema = current is { IsCompletedSuccessfully: true } ? current.Result : null;
        return schema is not null;
    }

    /// <summary>
    /// The provider's schema, fetched on first use; the caller's cancellation ends its own wait, not the shared
    /// fetch, which only the session's end cancels.
    /// </summary>
    /// <exception cref="RpcPluginException">The call failed (its gRPC status, the plugin's exit...), or
    /// <see cref="TerraformDiagnosticException"/>: the provider answered with an error diagnostic instead of a schema.</exception>
    public Task<ProviderSchema> GetSchemaAsync(CancellationToken cancellationToken = default)
    {
        Task<ProviderSchema> task;
        lock (gate)
        {
            if (loading is null || loading.IsFaulted || loading.IsCanceled)
            {
                loading = FetchAsync();
            }

            task = loading;
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Keeps a schema response the user fetched themselves, when none is cached yet, so that the calls that follow
    /// do not fetch it again. A response with error diagnostics is not kept.
    /// </summary>
    public void Offer(DynamicMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (TryGetSchema(out _) || !TerraformFields.IsSchemaResponse(response.Descriptor))
        {
            return;
        }

        ProviderSchema schema;
        try
        {
            schema = ProviderSchema.FromResponse(response);
        }
        catch (PluginException)
        {
            return; // the schema cannot be used; the fetch that needs it will say why
        }

        if (schema.Diagnostics.All(d => d.Severity == TerraformDiagnosticSeverity.Warning))
        {
            lock (gate)
            {
                if (loading is null || !loading.IsCompletedSuccessfully)
                {
                    loading = Task.FromResult(schema);
                }
            }
        }
    }

    private async Task<ProviderSchema> FetchAsync()
    {
        await Task.Yield();
        ServiceDescriptor service = TerraformProtocol.FindProviderService(TerraformProtocol.GetPool(ProtocolVersion), ProtocolVersion);
        MethodDescriptor method = service.FindMethodByName(ProtocolVersion == 6 ? "GetProviderSchema" : "GetSchema");
        var call = new DynamicCall(session, method, new DynamicCallOptions { Internal = true });
        var response = (DynamicMessage)await call.UnaryAsync(new DynamicMessage(method.InputType), null, lifetime).ConfigureAwait(false);
        ProviderSchema schema = ProviderSchema.FromResponse(response);
        if (schema.Diagnostics.FirstOrDefault(d => d.Severity != TerraformDiagnosticSeverity.Warning) is { } error)
        {
            string text = TerraformDiagnosticException.Describe(error.Summary, error.Detail, error.Attribute);
            throw new TerraformDiagnosticException(call.Name, error.Summary, error.Detail, error.Attribute, $"The provider '{session.Name}' did not give its schema, which the values of its calls are encoded by: {text}")
            {
                RecommendedAction = $"Fix what the provider reports (its log: {HostTerms.Current.LogCommand}), or give DynamicValue fields as msgpack byte[], which needs no schema.",
            };
        }

        return schema;
    }
}
