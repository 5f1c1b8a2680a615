using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace RpcPlugin.TerraformProvider.Cty;

/// <summary>Terraform's JSON state form, read by type (UpgradeResourceState gets stored state as JSON).</summary>
internal static class TfJson
{
    public static object? Read(JsonElement element, TfType type)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        switch (type.Kind)
        {
            case "string":
                return element.GetString();
            case "bool":
                return element.GetBoolean();
            case "number":
                return element.TryGetInt64(out long integer) ? integer : element.GetRawText() is var text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d.ToString("R", CultureInfo.InvariantCulture) == text ? d : new TfNumberText(element.GetRawText());
            case "dynamic":
                TfType actual = TfType.Parse(System.Text.Encoding.UTF8.GetBytes(element.GetProperty("type").GetRawText()));
                return new TfDynamic(actual, Read(element.GetProperty("value"), actual));
            case "list" or "set" or "tuple":
                var items = new List<object?>();
                int i = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    items.Add(Read(item, type.Kind == "tuple" ? type.Elements![i++] : type.Element!));
                }

                return items;
            default:
                var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    TfType itemType = type.Kind == "map" ? type.Element!
                        : type.Attributes!.TryGetValue(property.Name, out var t) ? t : throw new FormatException($"the stored state has an attribute '{property.Name}' the schema does not");
                    map[property.Name] = Read(property.Value, itemType);
                }

                return map;
        }
    }
}
