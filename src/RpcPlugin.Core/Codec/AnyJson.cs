using System.Text.Json;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// google.protobuf.Any in JSON: <c>{"@type": "type.googleapis.com/pkg.Msg", ...the packed message's fields}</c>,
/// or <c>{"@type": ..., "value": ...}</c> when the packed message is itself a well-known type.
/// </summary>
internal static class AnyJson
{
    public const string TypeProperty = "@type";
    public const string ValueProperty = "value";
    private const int TypeUrlField = 1;
    private const int ValueField = 2;

    public static void Write(ProtoJsonWriter writer, DynamicMessage any, FieldTable table)
    {
        string typeUrl = any.GetAt(table.Find(TypeUrlField)!.Index) as string ?? string.Empty;
        byte[] value = any.GetAt(table.Find(ValueField)!.Index) as byte[] ?? Array.Empty<byte>();
        writer.Json.WriteStartObject();
        if (typeUrl.Length == 0 && value.Length == 0)
        {
            // An Any that packs nothing: the empty object, which parses back to the same empty Any.
            writer.Json.WriteEndObject();
            return;
        }

        MessageDescriptor type = Resolve(typeUrl, writer.Options.TypeResolver);
        DynamicMessage packed = DynamicCodec.Decode(type, value, writer.Options.RecursionLimit);
        writer.Json.WriteString(TypeProperty, typeUrl);
        FieldTable packedTable = FieldTable.For(type);
        if (packedTable.WellKnown != WellKnownType.None)
        {
            writer.Json.WritePropertyName(ValueProperty);
            writer.WriteMessage(packed);
        }
        else
        {
            writer.WriteFields(packed, packedTable);
        }

        writer.Json.WriteEndObject();
    }

    public static void Read(ProtoJsonReader reader, DynamicMessage any, FieldTable table, JsonElement element)
    {
        JsonReadErrors.ExpectKind(element, JsonValueKind.Object, "an object with '@type' for google.protobuf.Any");
        if (!element.TryGetProperty(TypeProperty, out JsonElement typeElement))
        {
            if (element.EnumerateObject().MoveNext())
            {
                throw new ProtobufCodecException("A google.protobuf.Any has fields but no '@type' property.");
            }

            return;
        }

        JsonReadErrors.ExpectKind(typeElement, JsonValueKind.String, "a type URL string for '@type'");
        string typeUrl = typeElement.GetString()!;
        MessageDescriptor type = Resolve(typeUrl, reader.TypeResolver);
        FieldTable packedTable = FieldTable.For(type);
        DynamicMessage packed;
        if (packedTable.WellKnown != WellKnownType.None)
        {
            packed = ReadWellKnownBody(reader, type, element);
        }
        else
        {
            packed = packedTable.NewMessage();
            reader.ReadFields(packed, packedTable, element, skipTypeProperty: true);
        }

        any.SetAt(table.Find(TypeUrlField)!.Index, typeUrl);
        any.SetAt(table.Find(ValueField)!.Index, DynamicCodec.Encode(packed));
    }

    /// <summary>
    /// The packed type's full name is the type URL after its last '/'; it is resolved through the caller's
    /// resolver first, then among the well-known types.
    /// </summary>
    private static MessageDescriptor Resolve(string typeUrl, Func<string, MessageDescriptor?>? resolver)
    {
        int slash = typeUrl.LastIndexOf('/');
        string typeName = typeUrl[(slash + 1)..];
        if (slash < 0 || typeName.Length == 0)
        {
            throw new ProtobufCodecException($"The Any type URL '{typeUrl}' does not end in '/' and a type name.");
        }

        return resolver?.Invoke(typeName) ?? WellKnownTypes.BuiltIn(typeName)
            ?? throw new ProtobufCodecException($"The type '{typeName}' packed in an Any is unknown{(resolver is null ? " (no type resolver was given)" : string.Empty)}.");
    }

    private static DynamicMessage ReadWellKnownBody(ProtoJsonReader reader, MessageDescriptor type, JsonElement element)
    {
        JsonElement? body = null;
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.NameEquals(ValueProperty))
            {
                body = property.Value;
            }
            else if (!property.NameEquals(TypeProperty))
            {
                throw new ProtobufCodecException($"An Any packing {type.FullName} may only have '@type' and 'value', not '{property.Name}'.");
            }
        }

        if (body is not { } value)
        {
            throw new ProtobufCodecException($"An Any packing the well-known type {type.FullName} needs a 'value' property.");
        }

        try
        {
            return reader.ReadMessage(type, value);
        }
        catch (ProtobufCodecException e)
        {
            e.WithParent(ValueProperty);
            throw;
        }
    }
}
