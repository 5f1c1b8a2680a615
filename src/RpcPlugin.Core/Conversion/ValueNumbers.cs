using System.Globalization;
using System.Numerics;

namespace RpcPlugin.Core.Conversion;

/// <summary>
/// Numbers of every .NET type as a google.protobuf.Value's number_value, a double. struct.proto makes NaN and
/// Infinity an error, and an integer the double would change (past ±2^53: 9007199254740993 becomes
/// 9007199254740992) is refused rather than sent as another number. A fraction is the nearest double, as in JSON.
/// </summary>
internal static class ValueNumbers
{
    /// <summary>2^53: every integer up to it is exactly a double, and every double beyond it is an integer.</summary>
    private static readonly BigInteger ExactLimit = BigInteger.One << 53;

    /// <summary>Whether <paramref name="value"/> is a .NET number (not a bool, enum or char).</summary>
    public static bool IsNumber(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong
        or Int128 or UInt128 or BigInteger or Half or float or double or decimal;

    /// <summary>The double of a number for which <see cref="IsNumber"/> holds.</summary>
    /// <exception cref="Errors.PluginException">InvalidRequest for NaN, an infinity, or a number no double holds.</exception>
    public static double ToDouble(object value, string path)
    {
        (double number, BigInteger? whole) = value switch
        {
            double d => (d, null),
            float f => (f, null),
            Half h => ((double)h, null),
            decimal m when decimal.Truncate(m) != m => ((double)m, null),
            decimal m => ((double)m, new BigInteger(m)),
            long l => ((double)l, l),
            ulong ul => ((double)ul, ul),
            Int128 i => ((double)i, (BigInteger)i),
            UInt128 u => ((double)u, (BigInteger)u),
            BigInteger big => ((double)big, big),
            _ => (Convert.ToDouble(value, CultureInfo.InvariantCulture), (BigInteger?)null), // 32 bits or fewer: exact
        };

        if (!double.IsFinite(number) && whole is null)
        {
            throw RequestError.WrongValue(path, "a finite number for google.protobuf.Value (struct.proto makes NaN and Infinity an error; send the text 'NaN' as a string if that is meant)", value);
        }

        bool exact = whole is not { } integer || BigInteger.Abs(integer) <= ExactLimit || (double.IsFinite(number) && new BigInteger(number) == integer);
        bool fractionTooLarge = value is decimal fraction && whole is null && Math.Abs(fraction) > (decimal)ExactLimit;
        if (!exact || fractionTooLarge)
        {
            string text = Convert.ToString(value, CultureInfo.InvariantCulture)!;
            throw RequestError.WrongValue(path, $"a number a double holds exactly for google.protobuf.Value, whose numbers are doubles (this one would be sent as {number.ToString("R", CultureInfo.InvariantCulture)}); give it as a string ('{text}') to keep every digit", value);
        }

        return number;
    }
}
