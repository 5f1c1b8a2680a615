using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using Grpc.Core;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Invocation;

/// <summary>gRPC metadata to and from dictionaries: keys lower-case, <c>-bin</c> keys carry byte[].</summary>
public static class MetadataConverter
{
    // Headers HTTP/2 forbids or that gRPC itself sets: a request carrying one is malformed, and a server may answer
    // by dropping the whole connection, failing every other call on it.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "content-type", "te", "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
    };

    /// <summary>
    /// Builds call metadata from a dictionary, checking every key and value before anything is sent: keys as gRPC
    /// allows them (letters, digits, '-', '_', '.'; not <c>grpc-</c>), text values printable ASCII, <c>-bin</c> keys
    /// byte[] or base64 text (the forms bytes fields take). An array value sends each element under the same key, as
    /// gRPC allows.
    /// </summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/> naming the entry and what is wrong with it.</exception>
    public static Metadata FromDictionary(IDictionary? entries, Func<object?, object?>? unwrap = null)
    {
        unwrap ??= value => value;
        var metadata = new Metadata();
        if (entries is null)
        {
            return metadata;
        }

        foreach (DictionaryEntry entry in entries)
        {
            string key = CheckKey(Convert.ToString(unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty);
            bool binary = key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal);
            object? value = unwrap(entry.Value);
            if (value is IEnumerable values and not string and not byte[] and not IDictionary)
            {
                foreach (object? element in values)
                {
                    Add(metadata, key, binary, unwrap(element));
                }
            }
            else
            {
                Add(metadata, key, binary, value);
            }
        }

        return metadata;
    }

    /// <summary>Turns received metadata into an ordered dictionary (repeated keys become arrays).</summary>
    public static OrderedDictionary ToDictionary(Metadata? metadata)
    {
        var result = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        if (metadata is null)
        {
            return result;
        }

        foreach (Metadata.Entry entry in metadata)
        {
            object value = entry.IsBinary ? entry.ValueBytes : entry.Value;
            if (result[entry.Key] is { } existing)
            {
                result[entry.Key] = existing is object[] list ? [.. list, value] : new[] { existing, value };
            }
            else
            {
                result[entry.Key] = value;
            }
        }

        return result;
    }

    private static string CheckKey(string given)
    {
        string key = given.ToLowerInvariant();
        if (key.Length == 0)
        {
            throw Invalid(given, "its key is empty");
        }

        foreach (char c in key)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                throw Invalid(given, $"its key contains {Describe(c)}; keys hold only letters, digits, '-', '_' and '.'");
            }
        }

        if (key.StartsWith("grpc-", StringComparison.Ordinal) || Reserved.Contains(key))
        {
            throw Invalid(given, "the key is reserved for gRPC and HTTP/2 themselves");
        }

        return key;
    }

    private static void Add(Metadata metadata, string key, bool binary, object? value)
    {
        if (value is null)
        {
            throw Invalid(key, "its value is null (give '' for an empty value, or leave the key out)");
        }

        if (binary)
        {
            metadata.Add(key, value switch
            {
                byte[] bytes => bytes,
                string encoded => FromBase64(key, encoded),
                _ => throw Invalid(key, $"a key ending in '-bin' takes byte[] (e.g. [byte[]](1,2,3)) or base64 text, not {value.GetType().Name}"),
            });
            return;
        }

        string text = Text(value) ?? throw Invalid(key, $"a text key takes a string or a number (or a bool, a date, a [TimeSpan]), not {value.GetType().Name} (send bytes under a key ending in '-bin')");
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is < ' ' or > '~')
            {
                throw Invalid(key, $"its value contains {Describe(text[i])} at position {i + 1}; text values hold printable ASCII only (send other bytes under a key ending in '-bin')");
            }
        }

        metadata.Add(key, text);
    }

    /// <summary>
    /// A text value as it goes on the wire: dates as RFC 3339 and TimeSpans as protobuf durations, by the rule
    /// Struct values follow (<see cref="TimeValues"/>: a Local date is converted to UTC, an Unspecified one is UTC),
    /// numbers and other formattable values (enums, Guid, IPAddress) as invariant text, bools as 'true'/'false';
    /// null for a value without a text form of its own.
    /// </summary>
    private static string? Text(object value) => value switch
    {
        string text => text,
        DateTime or DateTimeOffset or TimeSpan => TimeValues.ToJsonText(value),
        bool flag => flag ? "true" : "false",
        // Numbers, enums, Guid and a few types that are text by nature; not any IFormattable: a script's record
        // (a wrapped PSCustomObject) is one, and would send '@{a=1}'.
        IFormattable formattable when value is ValueType or System.Net.IPAddress or Version or Uri => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static byte[] FromBase64(string key, string text) =>
        Base64Text.TryDecode(text, out byte[] bytes)
            ? bytes
            : throw Invalid(key, "its value is text that is not base64 (standard or URL-safe, padded or not); a key ending in '-bin' takes byte[] or base64 text");

    private static string Describe(char c) => c switch
    {
        '\r' => "a carriage return (U+000D)",
        '\n' => "a line feed (U+000A)",
        '\t' => "a tab (U+0009)",
        _ when char.IsControl(c) || c > '~' => $"the character U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    private static PluginException Invalid(string key, string why) =>
        new(PluginErrorCode.InvalidArgument, $"The metadata entry '{key}' cannot be sent: {why}. Nothing was sent.")
        {
            RecommendedAction = "Metadata keys are letters, digits, '-', '_' and '.'; text values are printable ASCII; keys ending in '-bin' take byte[].",
        };
}
