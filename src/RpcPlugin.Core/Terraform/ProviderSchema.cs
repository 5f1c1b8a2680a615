using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// Every schema a provider declares, read from its GetProviderSchema response (protocol 6) or GetSchema response
/// (protocol 5, same message): the provider configuration, provider_meta, resources, data sources and ephemeral
/// resources. Immutable: fetch once per session and keep it.
/// </summary>
public sealed class ProviderSchema
{
    private ProviderSchema(
        TerraformSchema provider,
        TerraformSchema? providerMeta,
        IReadOnlyDictionary<string, TerraformSchema> resources,
        IReadOnlyDictionary<string, TerraformSchema> dataSources,
        IReadOnlyDictionary<string, TerraformSchema> ephemeralResources,
        IReadOnlyList<TerraformDiagnostic> diagnostics)
    {
        Provider = provider;
        ProviderMeta = providerMeta;
        Resources = resources;
        DataSources = dataSources;
        EphemeralResources = ephemeralResources;
        Diagnostics = diagnostics;
    }

    /// <summary>The provider configuration's schema (an empty block when the provider takes none).</summary>
    public TerraformSchema Provider { get; }

    /// <summary>The schema of the <c>provider_meta</c> block modules may set, or null when the provider has none.</summary>
    public TerraformSchema? ProviderMeta { get; }

    /// <summary>Managed resource schemas by type name, in the order the provider sent them.</summary>
    public IReadOnlyDictionary<string, TerraformSchema> Resources { get; }

    /// <summary>Data source schemas by type name.</summary>
    public IReadOnlyDictionary<string, TerraformSchema> DataSources { get; }

    /// <summary>Ephemeral resource schemas by type name (protocol 5.7 / 6.7 and later).</summary>
    public IReadOnlyDictionary<string, TerraformSchema> EphemeralResources { get; }

    /// <summary>The diagnostics of the schema response (a provider may warn, or fail to produce a schema).</summary>
    public IReadOnlyList<TerraformDiagnostic> Diagnostics { get; }

    /// <summary>Reads a <c>tfplugin6.GetProviderSchema.Response</c> or <c>tfplugin5.GetProviderSchema.Response</c>.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidResponse"/>: not such a response, or a type that cannot be read.</exception>
    public static ProviderSchema FromResponse(DynamicMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Descriptor.FullName is not ("tfplugin6.GetProviderSchema.Response" or "tfplugin5.GetProviderSchema.Response"))
        {
            throw new PluginException(PluginErrorCode.InvalidResponse, $"A provider schema is read from a GetProviderSchema response, not from {response.Descriptor.FullName}.");
        }

        return new ProviderSchema(
            SchemaMessageReader.ReadSchema(SchemaMessageReader.Message(response, "provider"), "the provider") ?? new TerraformSchema(0, SchemaBlock.Empty),
            SchemaMessageReader.ReadSchema(SchemaMessageReader.Message(response, "provider_meta"), "provider_meta"),
            ReadMap(response, "resource_schemas", "resource"),
            ReadMap(response, "data_source_schemas", "data source"),
            ReadMap(response, "ephemeral_resource_schemas", "ephemeral resource"),
            TerraformDiagnostic.ReadAll(response));
    }

    /// <summary>The schema of a managed resource type.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidRequest"/>: no such type; the message lists the provider's.</exception>
    public TerraformSchema GetResource(string typeName) => Find(Resources, typeName, "resource type");

    /// <summary>The schema of a data source.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidRequest"/>: no such data source; the message lists the provider's.</exception>
    public TerraformSchema GetDataSource(string typeName) => Find(DataSources, typeName, "data source");

    /// <summary>The schema of an ephemeral resource type.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidRequest"/>: no such type; the message lists the provider's.</exception>
    public TerraformSchema GetEphemeralResource(string typeName) => Find(EphemeralResources, typeName, "ephemeral resource type");

    private static TerraformSchema Find(IReadOnlyDictionary<string, TerraformSchema> schemas, string typeName, string what)
    {
        if (typeName is not null && schemas.TryGetValue(typeName, out TerraformSchema? schema))
        {
            return schema;
        }

        string valid = schemas.Count == 0 ? "it has none" : "valid names: " + string.Join(", ", schemas.Keys);
        throw new PluginException(PluginErrorCode.InvalidRequest, $"The provider has no {what} '{typeName}'; {valid}.");
    }

    private static IReadOnlyDictionary<string, TerraformSchema> ReadMap(DynamicMessage response, string field, string what)
    {
        var schemas = new Dictionary<string, TerraformSchema>(StringComparer.Ordinal);
        foreach (var (name, schema) in SchemaMessageReader.Map(response, field))
        {
            schemas[name] = SchemaMessageReader.ReadSchema(schema, $"{what} '{name}'")!;
        }

        return schemas;
    }
}
