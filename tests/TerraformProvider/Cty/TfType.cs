using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace RpcPlugin.TerraformProvider.Cty;

/// <summary>The provider's own cty type model: just what it needs to read and write its values.</summary>
internal sealed record TfType(string Kind, TfType? Element = null, SortedDictionary<string, TfType>? Attributes = null, IReadOnlyList<TfType>? Elements = null)
{
    public static readonly TfType String = new("string");
    public static readonly TfType Number = new("number");
    public static readonly TfType Bool = new("bool");
    public static readonly TfType Dynamic = new("dynamic");

    public static TfType List(TfType element) => new("list", element);

    public static TfType Set(TfType element) => new("set", element);

    public static TfType Map(TfType element) => new("map", element);

    public static TfType Tuple(params TfType[] elements) => new("tuple", Elements: elements);

    public static TfType Object(IEnumerable<KeyValuePair<string, TfType>> attributes) =>
        new("object", Attributes: new SortedDictionary<string, TfType>(attributes.ToDictionary(a => a.Key, a => a.Value), StringComparer.Ordinal));

    public static TfType Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    public byte[] ToJson() => Encoding.UTF8.GetBytes(Text());

    private string Text() => Kind switch
    {
        "list" or "set" or "map" => $"[\"{Kind}\",{Element!.Text()}]",
        "tuple" => $"[\"tuple\",[{string.Join(",", Elements!.Select(e => e.Text()))}]]",
        "object" => $"[\"object\",{{{string.Join(",", Attributes!.Select(a => $"{JsonSerializer.Serialize(a.Key)}:{a.Value.Text()}"))}}}]",
        _ => $"\"{Kind}\"",
    };

    private static TfType Read(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() switch
            {
                "string" => String,
                "number" => Number,
                "bool" => Bool,
                "dynamic" => Dynamic,
                var other => throw new FormatException($"unknown type {other}"),
            };
        }

        string kind = element[0].GetString()!;
        return kind switch
        {
            "list" => List(Read(element[1])),
            "set" => Set(Read(element[1])),
            "map" => Map(Read(element[1])),
            "tuple" => Tuple(element[1].EnumerateArray().Select(Read).ToArray()),
            "object" => Object(element[1].EnumerateObject().Select(p => new KeyValuePair<string, TfType>(p.Name, Read(p.Value)))),
            _ => throw new FormatException($"unknown type {kind}"),
        };
    }
}

/// <summary>An unknown value ("known after apply").</summary>
internal sealed class TfUnknown
{
    public static readonly TfUnknown Value = new();

    private TfUnknown()
    {
    }

    public override string ToString() => "(unknown)";
}

/// <summary>A value of a dynamic attribute, with the type it came with.</summary>
internal sealed record TfDynamic(TfType Type, object? Value);

/// <summary>A number sent as decimal text (one a float64 cannot hold exactly).</summary>
internal sealed record TfNumberText(string Text);
