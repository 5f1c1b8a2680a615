using System.Globalization;
using System.Text;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Reads <c>FieldDescriptorProto.default_value</c>: decimal (also hex and octal) integers, floats with
/// <c>inf</c>/<c>-inf</c>/<c>nan</c>, <c>true</c>/<c>false</c>, enum value names, strings as they are and bytes
/// with C escapes (descriptor.proto documents this encoding).
/// </summary>
internal static class DefaultValueParser
{
    public static object Parse(FieldDescriptor field, string text)
    {
        object? value = field.FieldType switch
        {
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => ParseInteger(text, int.MinValue, int.MaxValue) is { } i ? (object)(int)i : null,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => ParseInteger(text, long.MinValue, long.MaxValue) is { } l ? (object)(long)l : null,
            FieldType.UInt32 or FieldType.Fixed32 => ParseUnsigned(text, uint.MaxValue) is { } u ? (object)(uint)u : null,
            FieldType.UInt64 or FieldType.Fixed64 => ParseUnsigned(text, ulong.MaxValue),
            FieldType.Float => ParseFloating(text) is { } f ? (object)(float)f : null,
            FieldType.Double => ParseFloating(text),
            FieldType.Bool => text switch { "true" => true, "false" => false, _ => null },
            FieldType.String => text,
            FieldType.Bytes => CEscapes.Unescape(text),
            FieldType.Enum => field.EnumType.FindValueByName(text)?.Number ?? (ParseInteger(text, int.MinValue, int.MaxValue) is { } e ? (object)(int)e : null),
            _ => null,
        };

        return value ?? throw new ProtobufCodecException(
            $"The default value '{text}' of field '{field.FullName}' is not a valid {field.FieldType.ToString().ToLowerInvariant()}.", field.Name);
    }

    private static long? ParseInteger(string text, long min, long max)
    {
        bool negative = text.StartsWith('-');
        if (ParseMagnitude(negative ? text[1..] : text) is not { } magnitude)
        {
            return null;
        }

        if (negative)
        {
            return magnitude <= (ulong)-(min + 1) + 1 ? (long)(0 - magnitude) : null;
        }

        return magnitude <= (ulong)max ? (long)magnitude : null;
    }

    private static ulong? ParseUnsigned(string text, ulong max) =>
        text.StartsWith('-') ? (text == "-0" ? 0UL : null) : ParseMagnitude(text) is { } m && m <= max ? m : null;

    private static ulong? ParseMagnitude(string digits)
    {
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hex) ? hex : null;
        }

        if (digits.Length > 1 && digits[0] == '0')
        {
            ulong octal = 0;
            foreach (char c in digits.AsSpan(1))
            {
                if (c is < '0' or > '7' || octal > (ulong.MaxValue >> 3))
                {
                    return null;
                }

                octal = (octal << 3) | (uint)(c - '0');
            }

            return octal;
        }

        return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) ? value : null;
    }

    private static double? ParseFloating(string text) => text.ToLowerInvariant() switch
    {
        "inf" or "+inf" or "infinity" or "+infinity" => double.PositiveInfinity,
        "-inf" or "-infinity" => double.NegativeInfinity,
        "nan" or "-nan" or "+nan" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null,
    };
}

/// <summary>The C escapes protoc uses for bytes defaults: <c>\n \t \\ \" \' \? \a \b \f \r \v</c>, octal and hex.</summary>
internal static class CEscapes
{
    public static byte[]? Unescape(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        int length = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\\')
            {
                if (c < 0x80)
                {
                    bytes[length++] = (byte)c;
                }
                else
                {
                    // Not something protoc writes (it escapes every byte >= 0x80), but take it as UTF-8 text.
                    int width = char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1;
                    length += Encoding.UTF8.GetBytes(text.AsSpan(i, width), bytes.AsSpan(length));
                    i += width - 1;
                }

                continue;
            }

            if (++i >= text.Length)
            {
                return null;
            }

            c = text[i];
            switch (c)
            {
                case 'a': bytes[length++] = 7; break;
                case 'b': bytes[length++] = 8; break;
                case 'f': bytes[length++] = 12; break;
                case 'n': bytes[length++] = 10; break;
                case 'r': bytes[length++] = 13; break;
                case 't': bytes[length++] = 9; break;
                case 'v': bytes[length++] = 11; break;
                case '\\' or '\'' or '"' or '?': bytes[length++] = (byte)c; break;
                case >= '0' and <= '7':
                    int octal = c - '0';
                    for (int n = 0; n < 2 && i + 1 < text.Length && text[i + 1] is >= '0' and <= '7'; n++)
                    {
                        octal = (octal * 8) + (text[++i] - '0');
                    }

                    bytes[length++] = (byte)octal;
                    break;
                case 'x' or 'X':
                    int hex = 0;
                    int digits = 0;
                    while (digits < 2 && i + 1 < text.Length && Uri.IsHexDigit(text[i + 1]))
                    {
                        hex = (hex * 16) + Convert.ToInt32(text[++i].ToString(), 16);
                        digits++;
                    }

                    if (digits == 0)
                    {
                        return null;
                    }

                    bytes[length++] = (byte)hex;
                    break;
                default:
                    return null;
            }
        }

        return bytes.AsSpan(0, length).ToArray();
    }
}
