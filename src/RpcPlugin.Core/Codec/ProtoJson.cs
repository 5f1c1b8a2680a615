using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// The proto3 JSON mapping (https://protobuf.dev/programming-guides/json/) for <see cref="DynamicMessage"/>:
/// lowerCamelCase names, 64-bit integers as strings, bytes as base64, enums by name, and the special forms of
/// the well-known types.
/// </summary>
public static class ProtoJson
{
    /// <summary>Formats a message as compact proto3 JSON without default values.</summary>
    /// <exception cref="ProtobufCodecException">A value does not fit its field, a Timestamp or Duration is out of range, or an Any's type is unknown.</exception>
    public static string Format(DynamicMessage message) => Format(message, null);

    /// <summary>Formats a message as proto3 JSON.</summary>
    /// <exception cref="ProtobufCodecException">A value does not fit its field, a Timestamp or Duration is out of range, or an Any's type is unknown.</exception>
    public static string Format(DynamicMessage message, ProtoJsonFormatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(message);
        options ??= ProtoJsonFormatOptions.Default;
        var output = new ArrayBufferWriter<byte>(256);
        var writerOptions = new JsonWriterOptions
        {
            Indented = options.Indented,
            // Keep non-ASCII text readable; the output is JSON text, not HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            MaxDepth = JsonDepthFor(options.RecursionLimit),
        };
        using (var json = new Utf8JsonWriter(output, writerOptions))
        {
            new ProtoJsonWriter(json, options).WriteMessage(message);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Parses proto3 JSON into a message of the given type.</summary>
    /// <param name="descriptor">The message type.</param>
    /// <param name="json">The JSON text.</param>
    /// <param name="typeResolver">
    /// Finds the type packed in a <c>google.protobuf.Any</c> by full name (the type URL after its last '/');
    /// well-known types are found without it.
    /// </param>
    /// <exception cref="ProtobufCodecException">The text is not JSON, or not proto3 JSON for the type; the message names the JSON path and what was expected.</exception>
    public static DynamicMessage Parse(MessageDescriptor descriptor, string json, Func<string, MessageDescriptor?>? typeResolver) =>
        Parse(descriptor, json, typeResolver, null);

    /// <summary>Parses proto3 JSON into a message of the given type, with options.</summary>
    /// <exception cref="ProtobufCodecException">The text is not JSON, or not proto3 JSON for the type; the message names the JSON path and what was expected.</exception>
    public static DynamicMessage Parse(MessageDescriptor descriptor, string json, Func<string, MessageDescriptor?>? typeResolver, ProtoJsonParseOptions? options)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(json);
        options ??= ProtoJsonParseOptions.Default;
        var documentOptions = new JsonDocumentOptions { MaxDepth = JsonDepthFor(options.RecursionLimit) };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, documentOptions);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // ArgumentException: text that cannot be transcoded to UTF-8 (an unpaired surrogate).
            throw new ProtobufCodecException($"The text is not valid JSON: {JsonSyntaxErrors.Describe(e, json)}.", innerException: e);
        }

        using (document)
        {
            try
            {
                DynamicMessage message = new ProtoJsonReader(typeResolver, options).ReadMessage(descriptor, document.RootElement);

                // The reader counts nesting by JSON objects, the encoder by messages (a map entry is one): check
                // with the encoder's count, so what parses can also be sent.
                DynamicCodec.CalculateSize(message, options.RecursionLimit);
                return message;
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json refuses to decode an escaped unpaired surrogate ("\ud800") in a property name.
                throw new ProtobufCodecException($"The JSON holds text that is not valid Unicode: {e.Message}", innerException: e);
            }
        }
    }

    /// <summary>
    /// JSON nesting allowed for a message nesting limit: a message level can take up to three JSON levels (a map
    /// or list, its entry, a Struct inside a Value), so the reader's own limit, with its clearer message, hits first.
    /// </summary>
    private static int JsonDepthFor(int recursionLimit) => (int)Math.Min((3L * recursionLimit) + 16, 100_000);
}
