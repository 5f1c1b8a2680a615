using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Text.Json;

namespace RpcPlugin.Core.Logs;

/// <summary>
/// Turns plugin output lines into log entries (docs/protocol.md §6): hclog JSON (<c>@level</c>, <c>@message</c>,
/// <c>@timestamp</c>, <c>@module</c>, other keys as fields), else plain text whose level comes from a
/// <c>[LEVEL]</c> tag near its start. After a Go panic, untagged lines are errors: they are the stack trace.
/// One parser per stream, because the panic state belongs to the stream.
/// </summary>
internal sealed class HclogParser
{
    private static readonly string[] Tags = { "[TRACE]", "[DEBUG]", "[INFO]", "[WARN]", "[ERROR]" };
    private static readonly IDictionary EmptyFields = new OrderedDictionary().AsReadOnly();
    private readonly RpcPluginLogSource source;
    private bool panicking;

    public HclogParser(RpcPluginLogSource source)
    {
        this.source = source;
    }

    public RpcPluginLogEntry Parse(string line)
    {
        if (line.StartsWith('{') && TryParseJson(line) is { } entry)
        {
            return entry;
        }

        if (line.StartsWith("panic: ", StringComparison.Ordinal) || line.StartsWith("fatal error: ", StringComparison.Ordinal))
        {
            panicking = true;
        }

        RpcPluginLogLevel level = TagLevel(line) ?? (panicking ? RpcPluginLogLevel.Error : RpcPluginLogLevel.Debug);
        return new RpcPluginLogEntry(DateTimeOffset.Now, level, line, null, EmptyFields, source, line);
    }

    /// <summary>Reads an hclog level name; unknown names count as Info.</summary>
    public static RpcPluginLogLevel ParseLevel(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "trace" => RpcPluginLogLevel.Trace,
        "debug" => RpcPluginLogLevel.Debug,
        "warn" or "warning" => RpcPluginLogLevel.Warn,
        "error" or "err" or "fatal" or "critical" => RpcPluginLogLevel.Error,
        _ => RpcPluginLogLevel.Info,
    };

    private static RpcPluginLogLevel? TagLevel(string line)
    {
        // hclog's text format puts the tag after a timestamp ("2024-01-02T15:04:05.123Z [INFO]  ..."), Go's log
        // package after its own date, so look a little way in but not through the whole message.
        string head = line.Length > 48 ? line[..48] : line;
        for (int i = 0; i < Tags.Length; i++)
        {
            if (head.Contains(Tags[i], StringComparison.Ordinal))
            {
                return (RpcPluginLogLevel)i;
            }
        }

        return null;
    }

    private RpcPluginLogEntry? TryParseJson(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return null; // not JSON (or not transcodable text): a plain line
        }

        using (document)
        {
            try
            {
                return ReadEntry(document.RootElement, line);
            }
            catch (InvalidOperationException)
            {
                return null; // an escaped unpaired surrogate ("\ud800") cannot be decoded: keep the line as plain text
            }
        }
    }

    private RpcPluginLogEntry? ReadEntry(JsonElement root, string line)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !(root.TryGetProperty("@message", out _) || root.TryGetProperty("@level", out _)))
        {
            return null;
        }

        var fields = new OrderedDictionary();
        string message = string.Empty;
        string? module = null;
        RpcPluginLogLevel level = RpcPluginLogLevel.Info;
        DateTimeOffset time = DateTimeOffset.Now;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "@message":
                    message = Text(property.Value);
                    break;
                case "@level":
                    level = ParseLevel(Text(property.Value));
                    break;
                case "@module":
                    module = Text(property.Value);
                    break;
                case "@timestamp" when DateTimeOffset.TryParse(Text(property.Value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed):
                    time = parsed;
                    break;
                default:
                    fields[property.Name] = ToValue(property.Value);
                    break;
            }
        }

        return new RpcPluginLogEntry(time, level, message, module, fields.AsReadOnly(), source, line);
    }

    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : value.GetRawText();

    private static object? ToValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Number when value.TryGetInt64(out long whole) => whole,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Array => value.EnumerateArray().Select(ToValue).ToArray(),
        _ => ToObject(value),
    };

    private static OrderedDictionary ToObject(JsonElement value)
    {
        var result = new OrderedDictionary();
        foreach (JsonProperty property in value.EnumerateObject())
        {
            result[property.Name] = ToValue(property.Value);
        }

        return result;
    }
}
