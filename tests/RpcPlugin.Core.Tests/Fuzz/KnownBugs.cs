using System;
using System.Text;
using System.Text.Json;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// Bugs in src/ the fuzz tests found and that are not fixed yet. Each has a skipped test reproducing it
/// (<see cref="KnownBugTests"/>); the fuzz loops count an exception that matches one of these exactly (type,
/// origin and input) as that bug instead of failing, so that they keep guarding everything else. When a bug is
/// fixed, unskip its test and delete its entry here: the fuzz test then fails again if the bug comes back.
/// </summary>
internal static class KnownBugs
{
    /// <summary>
    /// JSON text with an unpaired UTF-16 surrogate: <see cref="JsonDocument.Parse(string, JsonDocumentOptions)"/>
    /// throws <see cref="ArgumentException"/> (it cannot transcode the text to UTF-8), which ProtoJson.Parse,
    /// HclogParser.Parse and ReattachConfig.Parse do not catch (they catch only <see cref="JsonException"/>).
    /// </summary>
    public const string JsonLoneSurrogate = "JSON text with an unpaired surrogate throws ArgumentException";

    /// <summary>
    /// ReattachConfig.Parse reads properties with <see cref="JsonElement.GetString"/>, <see cref="JsonElement.GetInt32"/>
    /// and <see cref="JsonElement.EnumerateObject"/> without checking their kind or range: a non-string Protocol,
    /// Network or String, a non-object Addr, or a ProtocolVersion or Pid that is not an int32 throws
    /// <see cref="InvalidOperationException"/> or <see cref="FormatException"/> instead of PluginException.
    /// </summary>
    public const string ReattachUncheckedKinds = "ReattachConfig reads JSON values without checking their kind";

    /// <summary>
    /// An escaped unpaired surrogate in JSON (<c>"\ud800"</c>, plain ASCII, so it can come from any plugin's
    /// output): HclogParser.Parse reads values and property names with <see cref="JsonElement.GetString"/> and
    /// <see cref="JsonProperty.Name"/>, which throw <see cref="InvalidOperationException"/> for it.
    /// </summary>
    public const string HclogEscapedSurrogate = "HclogParser throws on an escaped unpaired surrogate";

    /// <summary>
    /// An escaped unpaired surrogate in a JSON property name that ProtoJson.Parse reads as a map key, a Struct key
    /// or a field name (<c>{"mString":{"\ud800":"x"}}</c>): <see cref="JsonProperty.Name"/> throws
    /// <see cref="InvalidOperationException"/>, which is not turned into ProtobufCodecException (string values are).
    /// </summary>
    public const string ProtoJsonEscapedSurrogateName = "ProtoJson.Parse throws on an escaped unpaired surrogate in a property name";

    /// <summary>
    /// MessageBuilder turns a number or a "…s" string into a Duration through TimeSpan without range checks:
    /// NaN, ±Infinity, or more seconds than TimeSpan holds throw <see cref="ArgumentException"/> or
    /// <see cref="OverflowException"/> instead of InvalidRequest.
    /// </summary>
    public const string BuilderDurationOverflow = "MessageBuilder's Duration conversion overflows";

    /// <summary>
    /// MessageBuilder reads an enum value given for an integer field with Convert.ToInt64: an enum whose
    /// underlying type is ulong and whose value is above long.MaxValue throws <see cref="OverflowException"/>.
    /// </summary>
    public const string BuilderUnsignedEnum = "MessageBuilder overflows on a ulong enum value";

    /// <summary>
    /// MessageBuilder limits Struct/Value/ListValue nesting by its own count (one unit per Value and per Struct or
    /// ListValue, checked after the recursion), which is not the encoder's: a request nesting arrays or hashtables
    /// about 50 levels deep in a Value builds, and the message then fails to encode with "nested deeper than the
    /// recursion limit" (the call would fail while serializing the request, reported as a codec error).
    /// </summary>
    public const string BuilderNestingBeyondEncoder = "MessageBuilder accepts Value nesting the encoder rejects";

    /// <summary>
    /// The binary encoder counts a map entry as a level of nesting (as the decoder does), ProtoJson.Parse does not:
    /// JSON that nests Structs (map&lt;string, Value&gt;) some 34 levels deep parses within the recursion limit,
    /// and the message it returns then fails to encode with "nested deeper than the recursion limit".
    /// </summary>
    public const string JsonMapNestingUncounted = "ProtoJson.Parse accepts map nesting the encoder rejects";

    /// <summary>The known bug <paramref name="exception"/> is, given the text input that caused it; null when it is none of them.</summary>
    public static string? Match(Exception exception, string input)
    {
        string trace = exception.StackTrace ?? string.Empty;
        if (exception is ArgumentException { InnerException: EncoderFallbackException }
            && trace.Contains("System.Text.Json.JsonDocument.Parse", StringComparison.Ordinal)
            && HasLoneSurrogate(input))
        {
            return JsonLoneSurrogate;
        }

        if (exception is InvalidOperationException or FormatException
            && exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("System.Text.Json", StringComparison.Ordinal) == true
            && trace.Contains("RpcPlugin.Core.ReattachConfig.", StringComparison.Ordinal))
        {
            return ReattachUncheckedKinds;
        }

        if (exception is InvalidOperationException
            && exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("System.Text.Json", StringComparison.Ordinal) == true
            && trace.Contains("RpcPlugin.Core.HclogParser", StringComparison.Ordinal)
            && HasEscapedSurrogate(input))
        {
            return HclogEscapedSurrogate;
        }

        if (exception is InvalidOperationException
            && exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("System.Text.Json", StringComparison.Ordinal) == true
            && trace.Contains("RpcPlugin.Core.Codec.", StringComparison.Ordinal)
            && HasEscapedSurrogate(input))
        {
            return ProtoJsonEscapedSurrogateName;
        }

        return null;
    }

    /// <summary>The known bug of MessageBuilder <paramref name="exception"/> is, given the request that caused it; null when it is none of them.</summary>
    public static string? MatchRequest(Exception exception, object? request, string strings)
    {
        string trace = exception.StackTrace ?? string.Empty;
        if (exception is OverflowException or ArgumentException && trace.Contains("WellKnownValues.ToDuration", StringComparison.Ordinal))
        {
            return BuilderDurationOverflow;
        }

        if (exception is OverflowException && trace.Contains("ScalarConverter.Integer", StringComparison.Ordinal) && HasLargeUnsignedEnum(request))
        {
            return BuilderUnsignedEnum;
        }

        return Match(exception, strings);
    }

    /// <summary>Whether an encoding failure of a message MessageBuilder returned is <see cref="BuilderNestingBeyondEncoder"/>.</summary>
    public static string? MatchBuilderEncode(RpcPlugin.Core.Codec.ProtobufCodecException exception) =>
        exception.Reason.Contains("recursion limit", StringComparison.Ordinal)
        && (exception.FieldPath.Contains("list_value", StringComparison.Ordinal) || exception.FieldPath.Contains("struct_value", StringComparison.Ordinal))
            ? BuilderNestingBeyondEncoder
            : null;

    /// <summary>Whether an encoding failure of a message ProtoJson.Parse returned is <see cref="JsonMapNestingUncounted"/>.</summary>
    public static string? MatchJsonEncode(RpcPlugin.Core.Codec.ProtobufCodecException exception) =>
        exception.Reason.Contains("recursion limit", StringComparison.Ordinal) && exception.FieldPath.Contains("].", StringComparison.Ordinal)
            ? JsonMapNestingUncounted
            : null;

    /// <summary>Whether JSON text has a \\uD800-\\uDFFF escape (paired or not: the exception says which).</summary>
    public static bool HasEscapedSurrogate(string json) =>
        System.Text.RegularExpressions.Regex.IsMatch(json, @"\\u[dD][89a-fA-F][0-9a-fA-F]{2}", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static bool HasLargeUnsignedEnum(object? value)
    {
        var pending = new System.Collections.Generic.Stack<object?>();
        pending.Push(value);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case Enum e when Enum.GetUnderlyingType(e.GetType()) == typeof(ulong) && Convert.ToUInt64(e, System.Globalization.CultureInfo.InvariantCulture) > long.MaxValue:
                    return true;
                case System.Collections.IDictionary map:
                    foreach (System.Collections.DictionaryEntry entry in map)
                    {
                        pending.Push(entry.Key);
                        pending.Push(entry.Value);
                    }

                    break;
                case System.Collections.IEnumerable items and not string and not byte[]:
                    foreach (object? item in items)
                    {
                        pending.Push(item);
                    }

                    break;
            }
        }

        return false;
    }

    public static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
