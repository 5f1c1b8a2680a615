using System.Collections;
using System.Globalization;
using System.Numerics;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Conversion;

/// <summary>
/// Turns a host value into the .NET value of a scalar field (about_RpcPlugin, TYPE MAPPING): integers in
/// range (also numeric strings and whole-number doubles, as proto3 JSON allows), numbers or NaN/Infinity for
/// floating point, bool only for bool, base64 or byte arrays for bytes, names or numbers for enums.
/// </summary>
internal static class ScalarConverter
{
    public static object Convert(FieldDescriptor field, object value, string path) => field.FieldType switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)Integer(value, int.MinValue, int.MaxValue, "int32", path),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => (long)Integer(value, long.MinValue, long.MaxValue, "int64", path),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)Integer(value, uint.MinValue, uint.MaxValue, "uint32", path),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)Integer(value, ulong.MinValue, ulong.MaxValue, "uint64", path),
        FieldType.Float => Float(value, path),
        FieldType.Double => Double(value, path),
        FieldType.Bool => value is bool flag ? flag : throw RequestError.WrongValue(path, "a bool ($true or $false)", value),
        FieldType.String => Text(value, path),
        FieldType.Bytes => Bytes(value, path),
        FieldType.Enum => Enum(field.EnumType, value, path),
        _ => throw new InvalidOperationException($"{field.FieldType} is not a scalar type."),
    };

    /// <summary>Converts a map key given as any value (hashtable keys are often strings) to the key field's type.</summary>
    public static object Key(FieldDescriptor keyField, object key, string path) =>
        keyField.FieldType == FieldType.Bool && key is string text && bool.TryParse(text, out bool flag)
            ? flag
            : Convert(keyField, key, path);

    public static BigInteger Integer(object value, BigInteger min, BigInteger max, string typeName, string path)
    {
        BigInteger number = value switch
        {
            int i => i,
            long l => l,
            short s => s,
            byte b => b,
            sbyte sb => sb,
            ushort us => us,
            uint ui => ui,
            ulong ul => ul,
            BigInteger big => big,
            Int128 i128 => i128,
            UInt128 u128 => u128,
            decimal d when decimal.Truncate(d) == d => new BigInteger(d),
            double d when double.IsFinite(d) && Math.Truncate(d) == d => new BigInteger(d),
            float f when float.IsFinite(f) && MathF.Truncate(f) == f => new BigInteger(f),
            string s when BigInteger.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out BigInteger parsed) => parsed,
            System.Enum e => new BigInteger(System.Convert.ToDecimal(e, CultureInfo.InvariantCulture)),
            _ => throw RequestError.WrongValue(path, $"a whole number for {typeName}", value),
        };
        if (number < min || number > max)
        {
            throw RequestError.Create(path, $"{number} is out of range for {typeName} ({min} to {max})");
        }

        return number;
    }

    private static double Double(object value, string path) => value switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        int or long or short or byte or sbyte or ushort or uint or ulong => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        BigInteger big => (double)big,
        Int128 i128 => (double)i128,
        UInt128 u128 => (double)u128,
        Half h => (double)h,
        string s => ParseFloating(s, path),
        _ => throw RequestError.WrongValue(path, "a number", value),
    };

    private static float Float(object value, string path)
    {
        double number = Double(value, path);
        if (double.IsFinite(number) && Math.Abs(number) > float.MaxValue)
        {
            throw RequestError.Create(path, $"{number.ToString(CultureInfo.InvariantCulture)} is out of range for float");
        }

        return (float)number;
    }

    private static double ParseFloating(string text, string path) => text.Trim() switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
        _ => throw RequestError.WrongValue(path, "a number, 'NaN', 'Infinity' or '-Infinity'", text),
    };

    private static string Text(object value, string path) => value switch
    {
        string s => s,
        char c => c.ToString(),
        IFormattable formattable when value is not DateTime and not DateTimeOffset => formattable.ToString(null, CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        _ => throw RequestError.WrongValue(path, "a string", value),
    };

    private static byte[] Bytes(object value, string path)
    {
        const string Expected = "a byte[], a base64 string or an array of numbers 0-255";
        switch (value)
        {
            case byte[] bytes:
                return bytes;
            case string text:
                try
                {
                    return System.Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
                }
                catch (FormatException)
                {
                    throw RequestError.WrongValue(path, Expected + " (this text is not base64)", value);
                }

            case IEnumerable items when value is not IDictionary:
                var result = new List<byte>();
                int index = 0;
                foreach (object? item in items)
                {
                    string itemPath = RequestError.Item(path, index);
                    result.Add((byte)Integer(item ?? throw RequestError.WrongValue(itemPath, "a number 0-255", null), byte.MinValue, byte.MaxValue, "a byte", itemPath));
                    index++;
                }

                return result.ToArray();
            default:
                throw RequestError.WrongValue(path, Expected, value);
        }
    }

    private static int Enum(EnumDescriptor type, object value, string path)
    {
        if (value is string name)
        {
            string trimmed = name.Trim();
            foreach (EnumValueDescriptor candidate in type.Values)
            {
                if (string.Equals(candidate.Name, trimmed, StringComparison.OrdinalIgnoreCase))
                {
                    return candidate.Number;
                }
            }

            if (!int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
            {
                throw RequestError.Create(path, $"'{name}' is not a value of enum {type.FullName}; valid names: {string.Join(", ", NameList(type))}");
            }

            return number;
        }

        return (int)Integer(value, int.MinValue, int.MaxValue, $"enum {type.FullName} (a name or number)", path);
    }

    private static IEnumerable<string> NameList(EnumDescriptor type)
    {
        foreach (EnumValueDescriptor value in type.Values)
        {
            yield return value.Name;
        }
    }
}
