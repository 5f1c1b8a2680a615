using System.Globalization;
using System.Text;

namespace RpcPlugin.Core.Logs;

/// <summary>
/// Makes what a plugin printed safe to quote in an error message: control and invisible characters become
/// escapes (<c>\x1B</c>, <c>\uFEFF</c>), so a terminal shows what was there instead of obeying it, and long
/// text is cut, so kilobytes of binary output do not bury the message.
/// </summary>
internal static class PrintableText
{
    /// <summary>The default length, in characters, of one quoted line.</summary>
    public const int DefaultLength = 200;

    /// <summary>The text with its invisible characters escaped, cut after <paramref name="maxLength"/> characters.</summary>
    public static string Escape(string text, int maxLength = DefaultLength)
    {
        var builder = new StringBuilder(System.Math.Min(text.Length, maxLength) + 16);
        int i = 0;
        for (; i < text.Length && builder.Length < maxLength; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\t':
                    builder.Append(c); // harmless, and Go stack traces are indented with it
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                default:
                    if (IsInvisible(c) || (char.IsSurrogate(c) && !IsPairAt(text, i)))
                    {
                        builder.Append(c <= 0xFF ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}");
                    }
                    else if (char.IsHighSurrogate(c))
                    {
                        builder.Append(c).Append(text[++i]);
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        if (i < text.Length)
        {
            builder.Append("... (").Append((text.Length - i).ToString(CultureInfo.InvariantCulture)).Append(" more characters)");
        }

        return builder.ToString();
    }

    /// <summary>Whether a character shows nothing by itself or moves the cursor: control, format (BOM, zero-width) and separator characters.</summary>
    public static bool IsInvisible(char c)
    {
        UnicodeCategory category = char.GetUnicodeCategory(c);
        return category is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    private static bool IsPairAt(string text, int i) =>
        char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
}
