using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// The field converter of a Terraform session's calls (see <see cref="IFieldConverter"/>): DynamicValue fields
/// take and give plain values, encoded as msgpack by the provider's schema — the provider configuration's, or the
/// resource type's, data source's or ephemeral resource's that the request's <c>type_name</c> names, and
/// <c>provider_meta</c>'s. A request's value fields not given are sent as null, as Terraform sends them
/// (<c>provider_meta</c> only when the provider declares its schema); a byte[] is taken as msgpack unchanged. The
/// cty types of schema attributes and function parameters (<c>bytes type</c>) come back as text:
/// <c>map(string)</c>. docs/terraform.md has the rules.
/// </summary>
public sealed class TerraformValueConverter : IFieldConverter
{
    private readonly TerraformFields fields;
    private readonly ProviderSchema? schema;
    private readonly IValueAdapter adapter;
    private readonly DynamicMessage? request;
    private readonly List<PluginException> failures = new();

    private TerraformValueConverter(TerraformFields fields, ProviderSchema? schema, IValueAdapter? adapter, DynamicMessage? request)
    {
        this.fields = fields;
        this.schema = schema;
        this.adapter = adapter ?? PlainValueAdapter.Instance;
        this.request = request;
    }

    /// <summary>Whether calls of <paramref name="method"/> carry values that need the provider's schema.</summary>
    public static bool NeedsSchema(MethodDescriptor method) => TerraformFields.For(method ?? throw new ArgumentNullException(nameof(method))).HasValues;

    /// <summary>The converter that builds requests of <paramref name="method"/>.</summary>
    /// <param name="method">The method called.</param>
    /// <param name="schema">The provider's schema; may be null for methods that do not <see cref="NeedsSchema"/>.</param>
    /// <param name="adapter">Sees through the host's wrappers; plain .NET values when null.</param>
    /// <exception cref="ArgumentException">The method needs a schema and none was given.</exception>
    public static TerraformValueConverter ForRequest(MethodDescriptor method, ProviderSchema? schema, IValueAdapter? adapter = null) =>
        Create(method, schema, adapter, null);

    /// <summary>The converter that projects the response to <paramref name="request"/>, a request of <paramref name="method"/>.</summary>
    /// <exception cref="ArgumentException">The method needs a schema and none was given.</exception>
    public static TerraformValueConverter ForResponse(MethodDescriptor method, ProviderSchema? schema, DynamicMessage? request) =>
        Create(method, schema, null, request);

    /// <summary>
    /// The values of projected responses that could not be decoded by the schema (<see cref="PluginErrorCode.InvalidResponse"/>,
    /// naming the attribute path); each stays a DynamicValue message in the projection.
    /// </summary>
    public IReadOnlyList<PluginException> Failures => failures;

    /// <inheritdoc />
    public bool Converts(FieldDescriptor field) => fields.IsRequestField(field) || TerraformFields.IsRawStateJson(field);

    /// <inheritdoc />
    public void Complete(DynamicMessage message, IReadOnlyDictionary<FieldDescriptor, object>? given, string path)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!ReferenceEquals(message.Descriptor, fields.Method.InputType))
        {
            CompleteRawState(message, given, path);
            return;
        }

        foreach (FieldDescriptor field in fields.Request)
        {
            object? value = given is not null && given.TryGetValue(field, out object? found) ? found : null;
            string fieldPath = RequestError.Child(path, field.Name);
            if (value is DynamicMessage wrapped && ReferenceEquals(wrapped.Descriptor, field.MessageType))
            {
                message[field] = wrapped; // a DynamicValue message as it is, like a byte[]
                continue;
            }

            if (value is byte[] msgpack)
            {
                message[field] = Wrap(field, msgpack);
                continue;
            }

            if (RequestBlock(message, field, path, value) is { } block)
            {
                message[field] = Wrap(field, CtyCodec.Encode(block, value, adapter, fieldPath));
            }
        }
    }

    /// <inheritdoc />
    public bool TryProject(DynamicMessage message, FieldDescriptor field, out object? value)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(field);
        if (TerraformFields.IsTypeField(field))
        {
            return TryTypeText(message, field, out value);
        }

        value = null;
        if (schema is null || !fields.Response.Contains(field) || ResponseBlock(message, field) is not { } block)
        {
            return false;
        }

        try
        {
            value = Decode(message[field] as DynamicMessage, block.ImpliedType, field.Name);
            return true;
        }
        catch (PluginException e)
        {
            // One bad value does not cost the rest of the response: it stays a DynamicValue, and the caller is told.
            failures.Add(e);
            return false;
        }
    }

    /// <summary>A DynamicValue's value: msgpack, else JSON, by <paramref name="type"/>; null for an unset or empty one.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidResponse"/>, naming the attribute path.</exception>
    public static object? Decode(DynamicMessage? dynamicValue, CtyType type, string path = "")
    {
        ArgumentNullException.ThrowIfNull(type);
        if (dynamicValue is null)
        {
            return null;
        }

        if (SchemaMessageReader.Bytes(dynamicValue, "msgpack") is { Length: > 0 } msgpack)
        {
            return CtyCodec.Decode(type, msgpack, path);
        }

        return SchemaMessageReader.Bytes(dynamicValue, "json") is { Length: > 0 } json ? CtyCodec.DecodeJson(type, json, path) : null;
    }

    private static TerraformValueConverter Create(MethodDescriptor method, ProviderSchema? schema, IValueAdapter? adapter, DynamicMessage? request)
    {
        ArgumentNullException.ThrowIfNull(method);
        TerraformFields fields = TerraformFields.For(method);
        if (schema is null && fields.HasValues)
        {
            throw new ArgumentException($"{method.FullName} carries values encoded by the provider's schema: give the schema.", nameof(schema));
        }

        return new TerraformValueConverter(fields, schema, adapter, request);
    }

    /// <summary>A stored state's JSON (RawState.json) given as text: a JSON object is taken as it is, not as base64.</summary>
    private static void CompleteRawState(DynamicMessage message, IReadOnlyDictionary<FieldDescriptor, object>? given, string path)
    {
        if (given is null)
        {
            return;
        }

        foreach ((FieldDescriptor field, object value) in given)
        {
            if (!TerraformFields.IsRawStateJson(field))
            {
                continue;
            }

            message[field] = value switch
            {
                byte[] bytes => bytes,
                string text when text.TrimStart().StartsWith('{') => System.Text.Encoding.UTF8.GetBytes(text),
                string text => ScalarConverter.Convert(field, text, RequestError.Child(path, field.Name), PlainValueAdapter.Instance),
                _ => throw RequestError.WrongValue(RequestError.Child(path, field.Name), "the stored state as JSON text (ConvertTo-Json) or its UTF-8 bytes", value),
            };
        }
    }

    private static DynamicMessage Wrap(FieldDescriptor field, byte[] msgpack)
    {
        var dynamicValue = new DynamicMessage(field.MessageType);
        dynamicValue[field.MessageType.FindFieldByName("msgpack")] = msgpack;
        return dynamicValue;
    }

    /// <summary>The block a request field's value is encoded by; null for a provider_meta the provider has no schema for.</summary>
    private SchemaBlock? RequestBlock(DynamicMessage message, FieldDescriptor field, string path, object? value)
    {
        if (field.Name == "provider_meta")
        {
            return schema!.ProviderMeta?.Block ?? (value is null ? null : throw RequestError.Create(RequestError.Child(path, field.Name), "the provider declares no provider_meta schema; leave it out"));
        }

        if (fields.Kind == TerraformSchemaKind.Provider)
        {
            return schema!.Provider.Block;
        }

        string typeField = field.Name == "target_state" ? "target_type_name" : "type_name";
        string typeName = SchemaMessageReader.Text(message, typeField);
        IReadOnlyDictionary<string, TerraformSchema> schemas = Schemas();
        if (schemas.TryGetValue(typeName, out TerraformSchema? found))
        {
            return found.Block;
        }

        string what = fields.Kind switch
        {
            TerraformSchemaKind.DataSource => "data source",
            TerraformSchemaKind.EphemeralResource => "ephemeral resource type",
            _ => "resource type",
        };
        string valid = schemas.Count == 0 ? $"the provider has no {what}s" : "valid names: " + string.Join(", ", schemas.Keys);
        string reason = typeName.Length == 0
            ? $"set it to the {what} whose schema '{field.Name}' is encoded by ({valid})"
            : $"the provider has no {what} '{typeName}' ({valid})";
        throw RequestError.Create(RequestError.Child(path, typeField), reason);
    }

    /// <summary>The block a response field's value is decoded by; null when it cannot be told (the value then stays a DynamicValue).</summary>
    private SchemaBlock? ResponseBlock(DynamicMessage message, FieldDescriptor field)
    {
        if (field.Name == "provider_meta")
        {
            return schema!.ProviderMeta?.Block;
        }

        if (fields.Kind == TerraformSchemaKind.Provider)
        {
            return schema!.Provider.Block;
        }

        // A listed resource names its own type (imported_resources[].type_name); otherwise the request says.
        string typeName = field.Name == "target_state"
            ? Text(request, "target_type_name")
            : SchemaMessageReader.Text(message, "type_name") is { Length: > 0 } own ? own : Text(request, "type_name");
        return Schemas().TryGetValue(typeName, out TerraformSchema? found) ? found.Block : null;
    }

    private IReadOnlyDictionary<string, TerraformSchema> Schemas() => fields.Kind switch
    {
        TerraformSchemaKind.DataSource => schema!.DataSources,
        TerraformSchemaKind.EphemeralResource => schema!.EphemeralResources,
        _ => schema!.Resources,
    };

    private static string Text(DynamicMessage? message, string field) => message is null ? string.Empty : SchemaMessageReader.Text(message, field);

    private static bool TryTypeText(DynamicMessage message, FieldDescriptor field, out object? value)
    {
        value = null;
        try
        {
            // A v6 nested attribute has no type of its own: show the one its nested attributes imply.
            if (message.Descriptor.FindFieldByName("nested_type") is { } nested && message[nested] is not null)
            {
                value = SchemaMessageReader.AttributeType(message).ToString();
                return true;
            }

            if (message[field] is byte[] { Length: > 0 } json)
            {
                value = CtyType.Parse(json).ToString();
                return true;
            }
        }
        catch (PluginException)
        {
            // Not a type we can read: the bytes are shown as they came.
        }

        return false;
    }
}
