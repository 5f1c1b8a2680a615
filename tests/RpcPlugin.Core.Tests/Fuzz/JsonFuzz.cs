using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

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

    /// <summary>A random JSON value; <paramref name="names"/> supplies likely property names.</summary>
    public static string RandomValue(Random random, IReadOnlyList<string> names, int depth)
    {
        var text = new StringBuilder();
        Value(random, names, depth, text);
        return text.ToString();
    }

    /// <summary>
    /// Structural edits of a JSON document: replaces a value (scalar or whole object/array) with a random value or
    /// deep nesting, removes, renames or duplicates a property, or removes an array element. Works on the token
    /// spans <see cref="Utf8JsonReader"/> reports, so the document is never rebuilt. Text that is not a JSON
    /// document gets character edits instead.
    /// </summary>
    public static string TreeEdits(Random random, string json, IReadOnlyList<string> names)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        for (int edits = random.Next(1, 3); edits > 0; edits--)
        {
            List<Token>? tokens = Tokenize(bytes);
            if (tokens is null || tokens.Count == 0)
            {
                return Mutate.TextEdits(random, Encoding.UTF8.GetString(bytes), 3, Tokens);
            }

            Token token = tokens[random.Next(tokens.Count)];
            bytes = (token.IsPropertyName, random.Next(4)) switch
            {
                (true, 0) => Splice(bytes, token.Start, RemovalEnd(bytes, token), string.Empty),
                (true, 1) => Splice(bytes, token.Start, token.End, "\"" + Rename(random, names) + "\""),
                (true, 2) => Splice(bytes, token.Start, token.Start, Encoding.UTF8.GetString(bytes, token.Start, token.ValueEnd - token.Start) + ","),
                (true, _) => Splice(bytes, token.ValueStart, token.ValueEnd, Replacement(random, names)),
                (false, 0) when token.InArray => Splice(bytes, token.Start, RemovalEnd(bytes, token), string.Empty),
                _ => Splice(bytes, token.Start, token.End, Replacement(random, names)),
            };
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static string Replacement(Random random, IReadOnlyList<string> names) => random.Next(5) == 0
        ? DeepText(random.Next(1, 150), objects: random.Next(2) == 0, closed: true)
        : RandomValue(random, names, random.Next(4));

    private static string Rename(Random random, IReadOnlyList<string> names) => random.Next(3) switch
    {
        0 => names[random.Next(names.Count)],
        1 => names[random.Next(names.Count)].ToUpperInvariant(),
        _ => Escape(Mutate.Text(random, 8, loneSurrogates: false)),
    };

    private static byte[] Splice(byte[] bytes, int start, int end, string insert)
    {
        byte[] middle = Encoding.UTF8.GetBytes(insert);
        byte[] result = new byte[bytes.Length - (end - start) + middle.Length];
        bytes.AsSpan(0, start).CopyTo(result);
        middle.CopyTo(result, start);
        bytes.AsSpan(end).CopyTo(result.AsSpan(start + middle.Length));
        return result;
    }

    /// <summary>The end of a property or element to remove: its value, and the comma after it if there is one.</summary>
    private static int RemovalEnd(byte[] bytes, Token token)
    {
        int end = token.IsPropertyName ? token.ValueEnd : token.End;
        int next = end;
        while (next < bytes.Length && bytes[next] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            next++;
        }

        return next < bytes.Length && bytes[next] == (byte)',' ? next + 1 : end;
    }

    /// <summary>Every value and property name of a document with its byte span (one pass); null when the text is not JSON.</summary>
    private static List<Token>? Tokenize(byte[] bytes)
    {
        var tokens = new List<Token>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 100_000 });
        // Open containers: their token's index, whether they are arrays, and the property they are the value of (or -1).
        var open = new Stack<(int Index, bool IsArray, int Owner)>();
        int pendingProperty = -1;
        try
        {
            while (reader.Read())
            {
                int start = (int)reader.TokenStartIndex;
                int end = (int)reader.BytesConsumed;
                bool inArray = open.Count > 0 && open.Peek().IsArray;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        tokens.Add(new Token(start, end, true, false, -1, -1));
                        pendingProperty = tokens.Count - 1;
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        int owner = ValueStarts(tokens, ref pendingProperty, start);
                        tokens.Add(new Token(start, -1, false, inArray, start, -1));
                        open.Push((tokens.Count - 1, reader.TokenType == JsonTokenType.StartArray, owner));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        (int index, _, int containerOwner) = open.Pop();
                        tokens[index] = tokens[index] with { End = end, ValueEnd = end };
                        if (containerOwner >= 0)
                        {
                            tokens[containerOwner] = tokens[containerOwner] with { ValueEnd = end };
                        }

                        break;
                    default:
                        int scalarOwner = ValueStarts(tokens, ref pendingProperty, start);
                        if (scalarOwner >= 0)
                        {
                            tokens[scalarOwner] = tokens[scalarOwner] with { ValueEnd = end };
                        }

                        tokens.Add(new Token(start, end, false, inArray, start, end));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return tokens;
    }

    /// <summary>A value starts: it belongs to the property read just before, if any, whose index this returns (else -1).</summary>
    private static int ValueStarts(List<Token> tokens, ref int pendingProperty, int start)
    {
        int owner = pendingProperty;
        if (owner >= 0)
        {
            tokens[owner] = tokens[owner] with { ValueStart = start };
            pendingProperty = -1;
        }

        return owner;
    }

    /// <summary>A value nested <paramref name="depth"/> levels deep in arrays or objects, as text.</summary>
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

    /// <summary>A value's or property's span: for a property, its name's span and its value's.</summary>
    private readonly record struct Token(int Start, int End, bool IsPropertyName, bool InArray, int ValueStart, int ValueEnd);
}
