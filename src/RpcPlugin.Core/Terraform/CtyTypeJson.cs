using System.Buffers;
using System.Text;
using System.Text.Json;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// The JSON form of cty types: <c>"string"</c>, <c>"number"</c>, <c>"bool"</c>, <c>"dynamic"</c>,
/// <c>["list"|"set"|"map", T]</c>, <c>["object", {"name": T, ...}]</c> (optionally a third element listing the
/// optional attributes) and <c>["tuple", [T, ...]]</c>.
/// </summary>
internal static class CtyTypeJson
{
    // Deeper types than this are not something a provider sends; the bound keeps recursion safe.
    private const int MaxDepth = 64;

    public static CtyType Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth * 2 + 2 });
        }
        catch (JsonException e)
        {
            throw Invalid(json, e.Message, e);
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, 0);
            }
            catch (FormatException e)
            {
                throw Invalid(json, e.Message, e);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json's word for text that is not valid UTF-8 or UTF-16 (a lone surrogate escape).
                throw Invalid(json, e.Message, e);
            }
        }
    }

    public static string Write(CtyType type)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, type);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static CtyType Read(JsonElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"it nests more than {MaxDepth} levels deep");
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() switch
            {
                "string" => CtyType.String,
                "number" => CtyType.Number,
                "bool" => CtyType.Bool,
                "dynamic" => CtyType.Dynamic,
                var other => throw new FormatException($"'{other}' is not a primitive type (string, number, bool or dynamic)"),
            };
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() < 2 || element[0].ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"expected a type name or an array such as [\"list\",\"string\"], got {element.ValueKind}");
        }

        string kind = element[0].GetString()!;
        int length = element.GetArrayLength();
        switch (kind)
        {
            case "list" or "set" or "map" when length == 2:
                CtyType item = Read(element[1], depth + 1);
                return kind == "list" ? CtyType.List(item) : kind == "set" ? CtyType.Set(item) : CtyType.Map(item);
            case "tuple" when length == 2 && element[1].ValueKind == JsonValueKind.Array:
                return CtyType.Tuple(element[1].EnumerateArray().Select(e => Read(e, depth + 1)).ToList());
            case "object" when (length == 2 || length == 3) && element[1].ValueKind == JsonValueKind.Object:
                return ReadObject(element, depth);
            default:
                throw new FormatException($"'{kind}' with {length - 1} argument(s) is not a type (list, set, map, tuple or object)");
        }
    }

    private static CtyType ReadObject(JsonElement element, int depth)
    {
        var optional = new HashSet<string>(StringComparer.Ordinal);
        if (element.GetArrayLength() == 3)
        {
            if (element[2].ValueKind != JsonValueKind.Array || element[2].EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                throw new FormatException("the optional attributes of an object type must be an array of names");
            }

            optional.UnionWith(element[2].EnumerateArray().Select(e => e.GetString()!));
        }

        var attributes = new List<CtyAttribute>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in element[1].EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new FormatException($"the object type names attribute '{property.Name}' twice");
            }

            attributes.Add(new CtyAttribute(property.Name, Read(property.Value, depth + 1), optional.Contains(property.Name)));
        }

        if (optional.FirstOrDefault(name => !seen.Contains(name)) is { } stray)
        {
            throw new FormatException($"the object type marks '{stray}' optional but has no such attribute");
        }

        return CtyType.Object(attributes);
    }

    private static void Write(Utf8JsonWriter writer, CtyType type)
    {
        switch (type.Kind)
        {
            case CtyKind.String or CtyKind.Number or CtyKind.Bool or CtyKind.Dynamic:
                writer.WriteStringValue(type.ToString());
                return;
            case CtyKind.List or CtyKind.Set or CtyKind.Map:
                writer.WriteStartArray();
                writer.WriteStringValue(type.Kind.ToString().ToLowerInvariant());
                Write(writer, type.ElementType!);
                writer.WriteEndArray();
                return;
            case CtyKind.Tuple:
                writer.WriteStartArray();
                writer.WriteStringValue("tuple");
                writer.WriteStartArray();
                foreach (CtyType element in type.Elements)
                {
                    Write(writer, element);
                }

                writer.WriteEndArray();
                writer.WriteEndArray();
                return;
            default:
                WriteObject(writer, type);
                return;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, CtyType type)
    {
        writer.WriteStartArray();
        writer.WriteStringValue("object");
        writer.WriteStartObject();
        foreach (int index in type.SortedAttributes)
        {
            writer.WritePropertyName(type.Attributes[index].Name);
            Write(writer, type.Attributes[index].Type);
        }

        writer.WriteEndObject();
        if (type.Attributes.Any(a => a.Optional))
        {
            writer.WriteStartArray();
            foreach (int index in type.SortedAttributes.Where(i => type.Attributes[i].Optional))
            {
                writer.WriteStringValue(type.Attributes[index].Name);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private static PluginException Invalid(ReadOnlySpan<byte> json, string reason, Exception inner)
    {
        string text = Encoding.UTF8.GetString(json);
        if (text.Length > 200)
        {
            text = text[..200] + "...";
        }

        return new PluginException(PluginErrorCode.InvalidResponse, $"'{text}' is not a valid cty type: {reason}.", inner);
    }
}
