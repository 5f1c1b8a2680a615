using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Says why text is not JSON in a user's terms: what is wrong, and where as a line and character counted from 1.
/// System.Text.Json's own messages count from 0, in UTF-8 bytes, and some speak of its reader's settings
/// (isFinalBlock, "the JSON payload", "change the reader options") that a user cannot see or change.
/// </summary>
internal static partial class JsonSyntaxErrors
{
    // Its messages that name reader internals, and what they mean for the text a user wrote.
    private static readonly (string Marker, string Meaning)[] Rewordings =
    {
        ("does not contain any JSON tokens", "the text is empty: it holds no JSON"),
        ("Expected depth to be zero at the end", "the text ends before every object and array in it is closed"),
        ("is an invalid end of a number. Expected a delimiter", "the text ends before every object and array in it is closed"),
        ("JSON object contains a trailing comma", "a comma comes right before the closing '}'; JSON allows no trailing comma"),
        ("JSON array contains a trailing comma", "a comma comes right before the closing ']'; JSON allows no trailing comma"),
        ("is invalid after a single JSON value", "more text follows the end of the JSON value; give one value"),
    };

    /// <summary>Why <paramref name="text"/> is not JSON, ending with its line and character, without a final period.</summary>
    public static string Describe(Exception error, string text)
    {
        if (error is not JsonException json)
        {
            return error.Message.TrimEnd('.');
        }

        string reason = ReaderPosition().Replace(json.Message, string.Empty).TrimEnd().TrimEnd('.');
        foreach ((string marker, string meaning) in Rewordings)
        {
            if (reason.Contains(marker, StringComparison.Ordinal))
            {
                reason = meaning;
                break;
            }
        }

        return json.LineNumber is { } line && json.BytePositionInLine is { } bytes
            ? $"{reason} (line {(line + 1).ToString(CultureInfo.InvariantCulture)}, character {Character(text, line, bytes).ToString(CultureInfo.InvariantCulture)})"
            : reason;
    }

    /// <summary>The character (from 1) at a byte offset in a line (from 0): the reader counts UTF-8 bytes.</summary>
    private static long Character(string text, long line, long bytePosition)
    {
        string[] lines = text.Split('\n');
        if (line >= lines.Length)
        {
            return bytePosition + 1;
        }

        byte[] encoded = Encoding.UTF8.GetBytes(lines[line]);
        return Encoding.UTF8.GetCharCount(encoded, 0, (int)Math.Min(bytePosition, encoded.Length)) + 1;
    }

    [GeneratedRegex(@"\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex ReaderPosition();
}
