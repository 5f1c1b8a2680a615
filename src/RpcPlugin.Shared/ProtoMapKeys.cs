using System.Globalization;
using System.Numerics;

namespace RpcPlugin;

/// <summary>
/// Converts a key as a script gives it to the key type of a <see cref="ProtoMap"/>: any integer type, a whole
/// double or decimal, or text for integer keys; a bool or 'true'/'false' (any case) for bool keys. A key that is
/// not a whole number in range is no key of the map (the lookup misses) rather than an error, as a hashtable
/// answers $null for a key it does not have.
/// </summary>
internal static class ProtoMapKeys
{
    public static bool TryConvert(object? key, Type keyType, out object typed)
    {
        typed = null!;
        if (key is null)
        {
            return false;
        }

        if (key.GetType() == keyType)
        {
            typed = key;
            return true;
        }

        if (keyType == typeof(bool))
        {
            if (key is string text && bool.TryParse(text.Trim(), out bool flag))
            {
                typed = flag;
                return true;
            }

            return false;
        }

        if (!TryWhole(key, out Int128 number))
        {
            return false;
        }

        object? result = null;
        if (keyType == typeof(int) && number >= int.MinValue && number <= int.MaxValue)
        {
            result = (int)number;
        }
        else if (keyType == typeof(long) && number >= long.MinValue && number <= long.MaxValue)
        {
            result = (long)number;
        }
        else if (keyType == typeof(uint) && number >= uint.MinValue && number <= uint.MaxValue)
        {
            result = (uint)number;
        }
        else if (keyType == typeof(ulong) && number >= ulong.MinValue && number <= ulong.MaxValue)
        {
            result = (ulong)number;
        }

        typed = result!;
        return result is not null;
    }

    private static bool TryWhole(object key, out Int128 number)
    {
        const double Limit = 1.9e19; // beyond every 64-bit key, within Int128
        number = 0;
        switch (key)
        {
            case sbyte or byte or short or ushort or int or uint or long:
                number = Convert.ToInt64(key, CultureInfo.InvariantCulture);
                return true;
            case ulong unsigned:
                number = unsigned;
                return true;
            case double or float:
                double d = Convert.ToDouble(key, CultureInfo.InvariantCulture);
                if (!double.IsFinite(d) || Math.Abs(d) > Limit || Math.Truncate(d) != d)
                {
                    return false;
                }

                number = (Int128)d;
                return true;
            case decimal m when decimal.Truncate(m) == m:
                number = (Int128)m;
                return true;
            case BigInteger big when big >= long.MinValue && big <= ulong.MaxValue:
                number = (Int128)big;
                return true;
            case string text:
                return Int128.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
            default:
                return false;
        }
    }
}
