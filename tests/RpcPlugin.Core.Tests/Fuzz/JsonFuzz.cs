using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>Random JSON text and structural mutations of JSON documents, for the JSON-reading fuzz tests.</summary>
internal static class JsonFuzz
{
    /// <summary>Fragments that tend to break JSON readers: structure, escapes (lone surrogates too), odd numbers.</summary>
    public static readonly string[] Tokens =
    {
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "0", "-0", "1e400", "-1e400", "1e-400", "1.5", "1E2",
        "9223372036854775808", "-9223372036854775809", "18446744073709551616", "4294967296", "2147483648", "\"NaN\"",
        "\"Infinity\"", "\"-Infinity\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "\\", "\\u", "\\ud83d\\ude00", "\"\"",
        "{}", "[]", "[null]", "{\"\":1}", "\"@type\"", "\"type.googleapis.com/testplugin.Nested\"", "\"1970-01-01T00:00:00Z\"",
        "\"9999-12-31T23:59:59.999999999Z\"", "\"0001-01-01T00:00:00Z\"", "\"315576000001s\"", "\"-1.5s\"", "\"a.b,c\"",
        "\"AAEC\"", "\"_-_-\"", "\"====\"", "\uD800", " ", "\n", "/*", "//", "'",
    };

    private static readonly string[] ValueTokens = Tokens
        .Where(t => t.Length > 0 && (t[0] is '"' or '-' or '{' or '[' || char.IsAsciiDigit(t[0]) || t is "null" or "true" or "false"))
        .ToArray();

    private static readonly System.Text.Json.JsonSerializerOptions DeepWriting = new() { MaxDepth = 10_000 };

    /// <summary>A random JSON value; <paramref name="names"/> supplies likely property names.</summary>
    public static string RandomValue(Random random, IReadOnlyList<string> names, int depth)
    {
        var text = new StringBuilder();
        Value(random, names, depth, text);
        return text.ToString();
    }

    /// <summary>Tree edits (<see cref="MutateTree"/>), or character edits when the text is not a JSON document.</summary>
    public static string TreeEdits(Random random, string json, IReadOnlyList<string> names)
    {
        try
        {
            return MutateTree(random, json, names) ?? Mutate.TextEdits(random, json, 3, Tokens);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
        {
            // System.Text.Json.Nodes could not write its own result (e.g. an escaped lone surrogate).
            return Mutate.TextEdits(random, json, 3, Tokens);
        }
    }

    /// <summary>
    /// Replaces, removes or renames one node of a JSON document, or wraps it in deep nesting. Returns null when the
    /// text does not parse as a JSON node (the caller then mutates characters instead).
    /// </summary>
    public static string? MutateTree(Random random, string json, IReadOnlyList<string> names)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 10_000 });
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        if (root is null)
        {
            return null;
        }

        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        for (int edits = random.Next(1, 4); edits > 0; edits--)
        {
            JsonNode node = nodes[random.Next(nodes.Count)];
            JsonNode? parent = node.Parent;
            JsonNode? replacement = random.Next(4) switch
            {
                0 => Deep(random, random.Next(1, 150)),
                _ => JsonNode.Parse(RandomValue(random, names, random.Next(4))),
            };
            switch (parent)
            {
                case JsonObject obj:
                    string key = obj.First(p => ReferenceEquals(p.Value, node)).Key;
                    switch (random.Next(4))
                    {
                        case 0:
                            obj.Remove(key);
                            break;
                        case 1:
                            // Rename the property: to another field's name, a case variant, or nonsense.
                            string renamed = random.Next(3) switch
                            {
                                0 => names[random.Next(names.Count)],
                                1 => key.ToUpperInvariant(),
                                _ => Mutate.Text(random, 8, loneSurrogates: false),
                            };
                            obj.Remove(key);
                            if (!obj.ContainsKey(renamed))
                            {
                                obj[renamed] = node;
                            }

                            break;
                        default:
                            obj[key] = replacement;
                            break;
                    }

                    break;
                case JsonArray array:
                    int index = array.IndexOf(node);
                    if (random.Next(3) == 0)
                    {
                        array.RemoveAt(index);
                    }
                    else
                    {
                        array[index] = replacement;
                    }

                    break;
                default:
                    return replacement?.ToJsonString(DeepWriting) ?? "null";
            }

            nodes.Clear();
            Collect(root, nodes);
        }

        return root.ToJsonString(DeepWriting);
    }

    /// <summary>A value nested <paramref name="depth"/> levels deep in arrays or objects.</summary>
    public static JsonNode Deep(Random random, int depth)
    {
        JsonNode node = JsonValue.Create(1)!;
        bool objects = random.Next(2) == 0;
        for (int i = 0; i < depth; i++)
        {
            node = objects ? new JsonObject { ["a"] = node } : new JsonArray(node);
        }

        return node;
    }

    /// <summary>Deep nesting as text, without building nodes (for depths past what JsonNode will write).</summary>
    public static string DeepText(int depth, bool objects, bool closed)
    {
        var text = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++)
        {
            text.Append(objects ? "{\"a\":" : "[");
        }

        text.Append('1');
        if (closed)
        {
            for (int i = 0; i < depth; i++)
            {
                text.Append(objects ? '}' : ']');
            }
        }

        return text.ToString();
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        if (node is null)
        {
            return;
        }

        nodes.Add(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (KeyValuePair<string, JsonNode?> property in obj)
                {
                    Collect(property.Value, nodes);
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    Collect(item, nodes);
                }

                break;
        }
    }

    private static void Value(Random random, IReadOnlyList<string> names, int depth, StringBuilder text)
    {
        switch (random.Next(depth > 0 ? 9 : 7))
        {
            case 0:
                text.Append("null");
                break;
            case 1:
                text.Append(random.Next(2) == 0 ? "true" : "false");
                break;
            case 2:
                text.Append(Number(random));
                break;
            case 3:
            case 4:
                String(random, text);
                break;
            case 5:
                text.Append(ValueTokens[random.Next(ValueTokens.Length)]);
                break;
            case 6:
                text.Append('"').Append(Mutate.Number(random)).Append('"');
                break;
            case 7:
                text.Append('[');
                for (int i = random.Next(5); i > 0; i--)
                {
                    Value(random, names, depth - 1, text);
                    if (i > 1)
                    {
                        text.Append(',');
                    }
                }

                text.Append(']');
                break;
            default:
                text.Append('{');
                for (int i = random.Next(5); i > 0; i--)
                {
                    text.Append('"').Append(random.Next(3) != 0 && names.Count > 0 ? names[random.Next(names.Count)] : Escape(Mutate.Text(random, 6, loneSurrogates: false))).Append("\":");
                    Value(random, names, depth - 1, text);
                    if (i > 1)
                    {
                        text.Append(',');
                    }
                }

                text.Append('}');
                break;
        }
    }

    private static string Number(Random random) => random.Next(12) switch
    {
        0 => "0",
        1 => "-0",
        2 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        3 => random.NextInt64().ToString(CultureInfo.InvariantCulture),
        4 => "18446744073709551615",
        5 => "1e400",
        6 => "-1e-400",
        7 => (random.NextDouble() * Math.Pow(10, random.Next(-40, 40))).ToString("R", CultureInfo.InvariantCulture),
        8 => "3.4028235e38",
        9 => "1.0",
        10 => "123456789012345678901234567890",
        _ => "5e2",
    };

    private static void String(Random random, StringBuilder text)
    {
        text.Append('"');
        switch (random.Next(6))
        {
            case 0:
                text.Append(Convert.ToBase64String(Mutate.RandomBytes(random, random.Next(12))));
                break;
            case 1:
                text.Append(@"\ud800");
                break;
            case 2:
                text.Append(new[] { "NaN", "Infinity", "-Infinity", "RED", "BLUE", "COLOR_UNSPECIFIED", "1.5s", "-0.000000001s", "2024-02-30T00:00:00Z", "1970-01-01T00:00:00.1234567891Z", "type.googleapis.com/testplugin.Nested" }[random.Next(11)]);
                break;
            default:
                text.Append(Escape(Mutate.Text(random, 20, loneSurrogates: false)));
                break;
        }

        text.Append('"');
    }

    private static string Escape(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is '"' or '\\' || c < ' ' || char.IsSurrogate(c))
            {
                result.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
