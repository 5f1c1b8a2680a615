using System.Text.Json;

namespace RpcPlugin.Core.Codec;

/// <summary>Errors of JSON that is valid JSON but not valid proto3 JSON for the type, saying what was expected.</summary>
internal static class JsonReadErrors
{
    public static void ExpectKind(JsonElement element, JsonValueKind kind, string expected)
    {
        if (element.ValueKind != kind)
        {
            throw Expected(expected, element);
        }
    }

    public static ProtobufCodecException Expected(string expected, JsonElement element) =>
        new($"Expected {expected}, got {Describe(element)}.");

    public static ProtobufCodecException OutOfRange(string kind, JsonElement element) =>
        new($"The value {Describe(element)} is out of range for {kind}.");

    /// <summary>The JSON value, shortened, for error messages.</summary>
    public static string Describe(JsonElement element)
    {
        string text = element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.Null => "null",
            _ => element.GetRawText(),
        };
        return text.Length > 60 ? text[..57] + "..." : text;
    }
}
