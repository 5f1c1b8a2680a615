using System.Collections.Specialized;
using System.Text.Json;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// Reads cty's JSON form (a DynamicValue whose <c>json</c> field is set) by type, into the same host values as
/// <see cref="CtyMsgpackReader"/>. JSON has no unknown values; dynamic values are <c>{"value": ..., "type": ...}</c>;
/// numbers may be JSON numbers or numeric strings.
/// </summary>
internal static class CtyJsonReader
{
    public static object? Read(JsonElement element, CtyType type, int depth)
    {
        if (depth > CtyValueNormalizer.MaxDepth)
        {
            throw new CtyValueError($"the value nests more than {CtyValueNormalizer.MaxDepth} levels deep");
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        switch (type.Kind)
        {
            case CtyKind.String:
                return element.ValueKind == JsonValueKind.String ? element.GetString() : throw Expected("a string", element);
            case CtyKind.Bool:
                return element.ValueKind is JsonValueKind.True or JsonValueKind.False ? element.GetBoolean() : throw Expected("a bool", element);
            case CtyKind.Number:
                string text = element.ValueKind switch
                {
                    JsonValueKind.Number => element.GetRawText(),
                    JsonValueKind.String => element.GetString()!,
                    _ => throw Expected("a number", element),
                };
                return CtyNumber.TryParse(text, out CtyNumber number) ? number.ToHostValue() : throw new CtyValueError($"'{text}' is not a number");
            case CtyKind.Dynamic:
                return ReadDynamic(element, depth);
            case CtyKind.List or CtyKind.Set or CtyKind.Tuple:
                return ReadSequence(element, type, depth);
            case CtyKind.Map:
                return ReadMap(element, type, depth);
            default:
                return ReadObject(element, type, depth);
        }
    }

    private static object? ReadDynamic(JsonElement element, int depth)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("type", out JsonElement typeJson) || !element.TryGetProperty("value", out JsonElement value))
        {
            throw new CtyValueError("a dynamic value must be an object with \"value\" and \"type\"");
        }

        CtyType type;
        try
        {
            type = CtyType.Parse(typeJson.GetRawText());
        }
        catch (PluginException e)
        {
            throw new CtyValueError(e.Message.TrimEnd('.'), e);
        }

        object? result = Read(value, type, depth + 1);
        CtyTypeInference.Remember(result, type);
        return result;
    }

    private static object?[] ReadSequence(JsonElement element, CtyType type, int depth)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Expected("an array", element);
        }

        int count = element.GetArrayLength();
        if (type.Kind == CtyKind.Tuple && count != type.Elements.Count)
        {
            throw new CtyValueError($"expected {type.Elements.Count} element(s) for {type}, got {count}");
        }

        var items = new object?[count];
        int i = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            try
            {
                items[i] = Read(item, type.Kind == CtyKind.Tuple ? type.Elements[i] : type.ElementType!, depth + 1);
            }
            catch (CtyValueError e)
            {
                throw e.AtIndex(i);
            }

            i++;
        }

        return items;
    }

    private static OrderedDictionary ReadMap(JsonElement element, CtyType type, int depth)
    {
        var entries = Properties(element, "a map").ToList();
        var values = new List<KeyValuePair<string, object?>>(entries.Count);
        foreach (JsonProperty property in entries)
        {
            try
            {
                values.Add(new(property.Name, Read(property.Value, type.ElementType!, depth + 1)));
            }
            catch (CtyValueError e)
            {
                throw e.AtKey(property.Name);
            }
        }

        values.Sort((a, b) => CtyDictionaries.CompareKeys(a.Key, b.Key));
        var map = CtyDictionaries.Create(values.ConvertAll(v => v.Key));
        values.ForEach(v => map.Add(v.Key, v.Value));
        return map;
    }

    private static OrderedDictionary ReadObject(JsonElement element, CtyType type, int depth)
    {
        var values = new object?[type.Attributes.Count];
        foreach (JsonProperty property in Properties(element, "an object"))
        {
            int index = type.IndexOf(property.Name);
            if (index < 0)
            {
                throw new CtyValueError($"the value has an attribute '{property.Name}' that its type has not");
            }

            try
            {
                values[index] = Read(property.Value, type.Attributes[index].Type, depth + 1);
            }
            catch (CtyValueError e)
            {
                throw e.At(property.Name);
            }
        }

        var result = CtyDictionaries.Create(type.Attributes.Select(a => a.Name).ToList());
        for (int i = 0; i < values.Length; i++)
        {
            result.Add(type.Attributes[i].Name, values[i]);
        }

        return result;
    }

    private static IEnumerable<JsonProperty> Properties(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Expected(what, element);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new CtyValueError($"the key '{property.Name}' appears twice");
            }

            yield return property;
        }
    }

    private static CtyValueError Expected(string what, JsonElement element) =>
        new($"expected {what}, got a JSON {element.ValueKind.ToString().ToLowerInvariant()}");
}
