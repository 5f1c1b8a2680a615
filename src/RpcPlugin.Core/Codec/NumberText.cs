using System.Globalization;
using System.Numerics;

namespace RpcPlugin.Core.Codec;

/// <summary>What reading a number's text gave.</summary>
internal enum NumberTextResult
{
    /// <summary>The value was read.</summary>
    Parsed,

    /// <summary>The text is not a decimal number.</summary>
    NotANumber,

    /// <summary>An integer was wanted and the value has a fraction.</summary>
    NotWhole,

    /// <summary>The value is beyond what any 64-bit integer or a finite double holds.</summary>
    OutOfRange,
}

/// <summary>
/// Reads numbers from decimal text (1, -2.50, 1e2) the one way a hashtable and proto3 JSON both use: integers exactly,
/// never through a double (which turned 2^53 + 1 into 2^53 and dropped a fraction like 2.00000000000000001), and
/// floating point refusing a finite value too large for the type instead of sending ±Infinity.
/// </summary>
internal static class NumberText
{
    private const NumberStyles FloatStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    // 10^40 is beyond every integer field (ulong ends near 1.8e19): values with more digits are refused unbuilt.
    private const int MaxIntegerDigits = 40;

    /// <summary>An integer from text: an optional sign, digits with an optional fraction, an optional exponent.</summary>
    public static NumberTextResult ParseWhole(ReadOnlySpan<char> text, out BigInteger value)
    {
        value = BigInteger.Zero;
        int i = 0;
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }

        int integerStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        ReadOnlySpan<char> integerDigits = text[integerStart..i];
        ReadOnlySpan<char> fractionDigits = default;
        if (i < text.Length && text[i] == '.')
        {
            int fractionStart = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            fractionDigits = text[fractionStart..i];
        }

        if (integerDigits.IsEmpty && fractionDigits.IsEmpty)
        {
            return NumberTextResult.NotANumber;
        }

        long exponent = 0;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            if (!TryReadExponent(text[(i + 1)..], out exponent))
            {
                return NumberTextResult.NotANumber;
            }

            i = text.Length;
        }

        if (i != text.Length)
        {
            return NumberTextResult.NotANumber;
        }

        // The value is digits × 10^scale, with the digits' leading and trailing zeros taken off: a negative
        // scale left over then means a fraction, since the last digit is not a zero.
        string digits = string.Concat(integerDigits, fractionDigits).TrimStart('0');
        int trimmed = digits.Length;
        digits = digits.TrimEnd('0');
        long scale = exponent - fractionDigits.Length + (trimmed - digits.Length);
        if (digits.Length == 0)
        {
            return NumberTextResult.Parsed;
        }

        if (scale < 0)
        {
            return NumberTextResult.NotWhole;
        }

        if (digits.Length + scale > MaxIntegerDigits)
        {
            return NumberTextResult.OutOfRange;
        }

        value = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) * BigInteger.Pow(10, (int)scale);
        value = negative ? -value : value;
        return NumberTextResult.Parsed;
    }

    /// <summary>
    /// A finite double from decimal text; the words NaN and Infinity are the caller's to accept, since JSON and a
    /// hashtable spell them differently.
    /// </summary>
    public static NumberTextResult ParseFinite(string text, out double value)
    {
        value = 0;
        foreach (char c in text)
        {
            // double.TryParse also takes "Infinity" and "∞"; only digits make a decimal number here.
            if (!char.IsAsciiDigit(c) && c is not ('+' or '-' or '.' or 'e' or 'E'))
            {
                return NumberTextResult.NotANumber;
            }
        }

        if (!double.TryParse(text, FloatStyle, CultureInfo.InvariantCulture, out value))
        {
            return NumberTextResult.NotANumber;
        }

        return double.IsFinite(value) ? NumberTextResult.Parsed : NumberTextResult.OutOfRange;
    }

    /// <summary>
    /// Whether a double fits a float: NaN and the infinities do, and so does every finite value that does not round
    /// to infinity (the shortest text of float.MaxValue reads as a double slightly above it).
    /// </summary>
    public static bool FitsFloat(double value) => !double.IsFinite(value) || float.IsFinite((float)value);

    private static bool TryReadExponent(ReadOnlySpan<char> text, out long exponent)
    {
        exponent = 0;
        int i = 0;
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }

        if (i == text.Length)
        {
            return false;
        }

        for (; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            // Saturates: an exponent in the billions is far out of range (or far inside a fraction) either way.
            exponent = Math.Min((exponent * 10) + (text[i] - '0'), 1_000_000_000);
        }

        exponent = negative ? -exponent : exponent;
        return true;
    }
}
