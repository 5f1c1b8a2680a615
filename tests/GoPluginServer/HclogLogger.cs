using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RpcPlugin.GoPluginServer;

/// <summary>
/// Writes hclog-style JSON log lines, the format go-plugin hosts parse from a plugin's stderr:
/// <c>{"@level":"info","@message":"...","@module":"kv","@timestamp":"2024-01-02T15:04:05.123456Z","key":"value"}</c>.
/// One line per entry, written in a single call so that concurrent entries never interleave.
/// </summary>
public sealed class HclogLogger
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // stderr is read by humans and by hosts, never rendered as HTML: keep non-ASCII text readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Stream _output;
    private readonly object _gate = new();

    /// <summary>Creates a logger writing to <paramref name="output"/> (normally the process's stderr).</summary>
    public HclogLogger(string module, Stream output, HclogLevel minimumLevel = HclogLevel.Trace)
    {
        Module = module;
        _output = output;
        MinimumLevel = minimumLevel;
    }

    /// <summary>The <c>@module</c> written on every line.</summary>
    public string Module { get; }

    /// <summary>Entries below this level are dropped.</summary>
    public HclogLevel MinimumLevel { get; }

    /// <summary>Whether an entry at <paramref name="level"/> would be written.</summary>
    public bool IsEnabled(HclogLevel level) => level >= MinimumLevel;

    /// <summary>Writes one entry with extra fields, e.g. <c>Log(HclogLevel.Info, "started", ("port", 10000))</c>.</summary>
    public void Log(HclogLevel level, string message, params ReadOnlySpan<(string Key, object? Value)> fields)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("@level", level.ToName());
            json.WriteString("@message", message);
            json.WriteString("@module", Module);
            json.WriteString("@timestamp", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            foreach (var (key, value) in fields)
            {
                json.WritePropertyName(key);
                WriteValue(json, value);
            }

            json.WriteEndObject();
        }

        buffer.Write("\n"u8);
        lock (_gate)
        {
            try
            {
                _output.Write(buffer.WrittenSpan);
                _output.Flush();
            }
            catch (IOException)
            {
                // The host closed our stderr; logging must never take the plugin down.
            }
        }
    }

    /// <summary>Writes a trace entry.</summary>
    public void Trace(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(HclogLevel.Trace, message, fields);

    /// <summary>Writes a debug entry.</summary>
    public void Debug(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(HclogLevel.Debug, message, fields);

    /// <summary>Writes an info entry.</summary>
    public void Info(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(HclogLevel.Info, message, fields);

    /// <summary>Writes a warn entry.</summary>
    public void Warn(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(HclogLevel.Warn, message, fields);

    /// <summary>Writes an error entry.</summary>
    public void Error(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(HclogLevel.Error, message, fields);

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case uint u: json.WriteNumberValue(u); break;
            case ulong ul: json.WriteNumberValue(ul); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case IFormattable f: json.WriteStringValue(f.ToString(null, CultureInfo.InvariantCulture)); break;
            default: json.WriteStringValue(value.ToString()); break;
        }
    }
}
