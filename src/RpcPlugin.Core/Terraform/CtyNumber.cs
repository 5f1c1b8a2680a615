using System.Globalization;
using System.Numerics;
using System.Text;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// A cty number held exactly as <c>Mantissa × 10^Exponent</c> (mantissa without trailing zeros), or an infinity.
/// cty numbers are arbitrary-precision decimals-or-binaries; this is enough to decide, without rounding, whether a
/// number is an integer, whether a double holds it exactly, and to write it as cty's plain decimal text.
/// </summary>
internal readonly struct CtyNumber : IEquatable<CtyNumber>
{
    /// <summary>Digits beyond which numbers are refused: far past what a 512-bit cty number holds, and cheap to expand.</summary>
    public const int MaxDigits = 10_000;

    private CtyNumber(BigInteger mantissa, int exponent, int infinity)
    {
        if (mantissa.IsZero)
        {
            exponent = 0;
        }
        else
        {
            while (exponent < int.MaxValue && mantissa % 10 == 0)
            {
                mantissa /= 10;
                exponent++;
            }
        }

        Mantissa = mantissa;
        Exponent = exponent;
        Infinity = infinity;
    }

    public BigInteger Mantissa { get; }

    public int Exponent { get; }

    /// <summary>0 for a finite number, 1 for +∞, -1 for −∞.</summary>
    public int Infinity { get; }

    public bool IsInteger => Infinity == 0 && Exponent >= 0;

    public static CtyNumber FromInteger(BigInteger value) => new(value, 0, 0);

    /// <summary>The double's shortest round-trip decimal: 0.1 is 0.1, not its binary expansion.</summary>
    public static CtyNumber FromDouble(double value)
    {
        if (double.IsInfinity(value))
        {
            return new CtyNumber(BigInteger.Zero, 0, value > 0 ? 1 : -1);
        }

        return TryParse(value.ToString("R", CultureInfo.InvariantCulture), out CtyNumber number) ? number : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public static CtyNumber FromDecimal(decimal value) =>
        TryParse(value.ToString(CultureInfo.InvariantCulture), out CtyNumber number) ? number : throw new ArgumentOutOfRangeException(nameof(value));

    /// <summary>
    /// Parses cty's number syntax: an optional sign, digits with an optional fraction (either side of the point may
    /// be empty, not both), an optional exponent; or an infinity (<c>Inf</c>, <c>+Infinity</c>...). False for
    /// anything else, and for numbers with more than <see cref="MaxDigits"/> digits either side of the point.
    /// </summary>
    public static bool TryParse(string text, out CtyNumber number)
    {
        number = default;
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        int sign = 1;
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
        {
            sign = s[0] == '-' ? -1 : 1;
            s = s[1..];
        }

        if (s.Equals("inf", StringComparison.OrdinalIgnoreCase) || s.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            number = new CtyNumber(BigInteger.Zero, 0, sign);
            return true;
        }

        int e = s.IndexOfAny('e', 'E');
        ReadOnlySpan<char> body = e < 0 ? s : s[..e];
        long exponent = 0;
        if (e >= 0 && !long.TryParse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
        {
            return false;
        }

        int point = body.IndexOf('.');
        ReadOnlySpan<char> whole = point < 0 ? body : body[..point];
        ReadOnlySpan<char> fraction = point < 0 ? ReadOnlySpan<char>.Empty : body[(point + 1)..];
        if ((whole.Length == 0 && fraction.Length == 0) || !AllDigits(whole) || !AllDigits(fraction))
        {
            return false;
        }

        whole = whole.TrimStart('0');
        exponent -= fraction.Length;
        if (whole.Length + fraction.Length > MaxDigits || Math.Abs(exponent) > MaxDigits)
        {
            return false;
        }

        // Trailing zeros go into the exponent here, so the constructor never divides a long mantissa digit by digit.
        string digits = string.Concat(whole, fraction);
        int significant = digits.TrimEnd('0').Length;
        exponent += digits.Length - significant;
        digits = digits[..significant];
        BigInteger mantissa = digits.Length == 0 ? BigInteger.Zero : BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        number = new CtyNumber(sign * mantissa, (int)exponent, 0);
        return number.Exponent + Digits(number.Mantissa) <= MaxDigits;
    }

    /// <summary>
    /// The value a script gets: a long, a BigInteger for integers past 64 bits, a double when a double holds the
    /// number exactly, else the plain decimal text. cty sends text only for numbers a double cannot hold (0.1 as a
    /// decimal, or 30 digits), so text stays text and goes back as the very same number.
    /// </summary>
    public object ToHostValue()
    {
        if (IsInteger)
        {
            BigInteger integer = ToBigInteger();
            return integer >= long.MinValue && integer <= long.MaxValue ? (object)(long)integer : integer;
        }

        if (IsExactDouble(out double value))
        {
            return value;
        }

        string text = ToPlainString();
        CtyTypeInference.Remember(text, CtyType.Number);
        return text;
    }

    public BigInteger ToBigInteger() => Exponent >= 0 ? Mantissa * BigInteger.Pow(10, Exponent) : throw new InvalidOperationException("not an integer");

    /// <summary>Whether a double equals this number exactly (0.5 and 3 do, 0.1 does not).</summary>
    public bool IsExactDouble(out double value)
    {
        value = ToDouble();
        if (Infinity != 0)
        {
            return true;
        }

        return !double.IsInfinity(value) && Exact(value).Equals(this);
    }

    public double ToDouble() => Infinity != 0
        ? (Infinity > 0 ? double.PositiveInfinity : double.NegativeInfinity)
        : double.Parse($"{Mantissa.ToString(CultureInfo.InvariantCulture)}E{Exponent.ToString(CultureInfo.InvariantCulture)}", NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Plain decimal text without exponent, as cty writes numbers it cannot send as int or float.</summary>
    public string ToPlainString()
    {
        if (Infinity != 0)
        {
            return Infinity > 0 ? "+Inf" : "-Inf";
        }

        string digits = BigInteger.Abs(Mantissa).ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder(digits.Length + Math.Abs(Exponent) + 3);
        if (Mantissa.Sign < 0)
        {
            text.Append('-');
        }

        if (Exponent >= 0)
        {
            return text.Append(digits).Append('0', Exponent).ToString();
        }

        int point = digits.Length + Exponent;
        return point > 0
            ? text.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point).ToString()
            : text.Append("0.").Append('0', -point).Append(digits).ToString();
    }

    public bool Equals(CtyNumber other) => Infinity == other.Infinity && Exponent == other.Exponent && Mantissa.Equals(other.Mantissa);

    public override bool Equals(object? obj) => obj is CtyNumber other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Mantissa, Exponent, Infinity);

    public override string ToString() => ToPlainString();

    /// <summary>The exact decimal value of a finite double: m × 2^e is m × 5^-e × 10^e.</summary>
    private static CtyNumber Exact(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int rawExponent = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xF_FFFF_FFFF_FFFF;
        BigInteger mantissa = rawExponent == 0 ? fraction : fraction | (1L << 52);
        int exponent = (rawExponent == 0 ? 1 : rawExponent) - 1075;
        if (bits < 0)
        {
            mantissa = -mantissa;
        }

        return exponent >= 0
            ? new CtyNumber(mantissa << exponent, 0, 0)
            : new CtyNumber(mantissa * BigInteger.Pow(5, -exponent), exponent, 0);
    }

    private static int Digits(BigInteger value) => value.IsZero ? 1 : BigInteger.Abs(value).ToString(CultureInfo.InvariantCulture).Length;

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
