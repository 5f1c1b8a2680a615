using System.Runtime.CompilerServices;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Terraform;

/// <summary>Which schema a method's values are encoded by.</summary>
internal enum TerraformSchemaKind
{
    /// <summary>None we model: functions, identities, or not a provider method.</summary>
    None,

    /// <summary>The provider configuration's.</summary>
    Provider,

    /// <summary>A managed resource type's, named by the request's <c>type_name</c>.</summary>
    Resource,

    /// <summary>A data source's, named by the request's <c>type_name</c>.</summary>
    DataSource,

    /// <summary>An ephemeral resource type's, named by the request's <c>type_name</c>.</summary>
    EphemeralResource,
}

/// <summary>
/// The DynamicValue fields of one provider method that carry values of a schema we know, and which schema that is:
/// worked out once per method from its descriptors. Fields of schemas not modelled (function arguments and
/// results, resource identities) are left out, so they stay DynamicValue messages.
/// </summary>
internal sealed class TerraformFields
{
    private static readonly ConditionalWeakTable<MethodDescriptor, TerraformFields> Cache = new();

    private static readonly Dictionary<string, TerraformSchemaKind> Kinds = new(StringComparer.Ordinal)
    {
        ["ValidateProviderConfig"] = TerraformSchemaKind.Provider,
        ["PrepareProviderConfig"] = TerraformSchemaKind.Provider,
        ["ConfigureProvider"] = TerraformSchemaKind.Provider,
        ["Configure"] = TerraformSchemaKind.Provider,
        ["ValidateResourceConfig"] = TerraformSchemaKind.Resource,
        ["ValidateResourceTypeConfig"] = TerraformSchemaKind.Resource,
        ["PlanResourceChange"] = TerraformSchemaKind.Resource,
        ["ApplyResourceChange"] = TerraformSchemaKind.Resource,
        ["ReadResource"] = TerraformSchemaKind.Resource,
        ["ImportResourceState"] = TerraformSchemaKind.Resource,
        ["UpgradeResourceState"] = TerraformSchemaKind.Resource,
        ["MoveResourceState"] = TerraformSchemaKind.Resource,
        ["ValidateDataResourceConfig"] = TerraformSchemaKind.DataSource,
        ["ValidateDataSourceConfig"] = TerraformSchemaKind.DataSource,
        ["ReadDataSource"] = TerraformSchemaKind.DataSource,
        ["ValidateEphemeralResourceConfig"] = TerraformSchemaKind.EphemeralResource,
        ["OpenEphemeralResource"] = TerraformSchemaKind.EphemeralResource,
    };

    private TerraformFields(MethodDescriptor method)
    {
        Method = method;
        Kind = IsProviderService(method.Service) && Kinds.TryGetValue(method.Name, out TerraformSchemaKind kind) ? kind : TerraformSchemaKind.None;
        if (Kind == TerraformSchemaKind.None)
        {
            Request = Array.Empty<FieldDescriptor>();
            Response = new HashSet<FieldDescriptor>();
            return;
        }

        Request = ValueFields(method.InputType).ToArray();

        // A response's values, and those of the resources it lists with their own type name (ImportResourceState's
        // imported_resources[].state).
        Response = new HashSet<FieldDescriptor>(ValueFields(method.OutputType).Concat(
            method.OutputType.Fields.InDeclarationOrder()
                .Where(f => f.IsRepeated && f.FieldType == FieldType.Message && f.MessageType.FindFieldByName("type_name") is not null)
                .SelectMany(f => ValueFields(f.MessageType))));
        RequestSet = new HashSet<FieldDescriptor>(Request);
    }

    /// <summary>The method.</summary>
    public MethodDescriptor Method { get; }

    /// <summary>Which schema its values are encoded by.</summary>
    public TerraformSchemaKind Kind { get; }

    /// <summary>The request's value fields, in declaration order.</summary>
    public IReadOnlyList<FieldDescriptor> Request { get; }

    /// <summary>The value fields of the response and of the resources it lists.</summary>
    public HashSet<FieldDescriptor> Response { get; }

    /// <summary>Whether the method has any value to encode or decode, and so needs the provider's schema.</summary>
    public bool HasValues => Request.Count > 0 || Response.Count > 0;

    private HashSet<FieldDescriptor> RequestSet { get; } = new();

    /// <summary>The fields of a method (cached per method).</summary>
    public static TerraformFields For(MethodDescriptor method) => Cache.GetValue(method, m => new TerraformFields(m));

    /// <summary>Whether a message type belongs to Terraform's provider protocol (package tfplugin5 or tfplugin6).</summary>
    public static bool IsTerraformType(MessageDescriptor type) => type.File.Package is "tfplugin5" or "tfplugin6";

    /// <summary>Whether a field holds a cty type as JSON: the <c>bytes type</c> of schema attributes, function parameters and returns.</summary>
    public static bool IsTypeField(FieldDescriptor field) =>
        field.FieldType == FieldType.Bytes && !field.IsRepeated && field.Name == "type" && IsTerraformType(field.ContainingType);

    /// <summary>Whether a field is the <c>json</c> of a <c>RawState</c>: a stored state, which UpgradeResourceState reads.</summary>
    public static bool IsRawStateJson(FieldDescriptor field) =>
        field.FieldType == FieldType.Bytes && field.Name == "json" && field.ContainingType.Name == "RawState" && IsTerraformType(field.ContainingType);

    /// <summary>Whether a message is a GetProviderSchema (protocol 6) or GetSchema (5) response.</summary>
    public static bool IsSchemaResponse(MessageDescriptor type) =>
        type.FullName is "tfplugin6.GetProviderSchema.Response" or "tfplugin5.GetProviderSchema.Response";

    /// <summary>Whether the request builder leaves this field to the Terraform converter.</summary>
    public bool IsRequestField(FieldDescriptor field) => RequestSet.Contains(field);

    private static bool IsProviderService(ServiceDescriptor service) => service.FullName is "tfplugin5.Provider" or "tfplugin6.Provider";

    private static IEnumerable<FieldDescriptor> ValueFields(MessageDescriptor type) =>
        type.Fields.InDeclarationOrder().Where(f => !f.IsRepeated && f.FieldType == FieldType.Message && f.MessageType.Name == "DynamicValue" && IsTerraformType(f.MessageType));
}
