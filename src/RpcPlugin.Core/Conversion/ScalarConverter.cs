using System.Collections;
using System.Globalization;
using System.Numerics;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Conversion;

/// <summary>
/// Turns a host value into the .NET value of a scalar field (about_RpcPlugin, TYPE MAPPING): integers in
/// range (also numeric strings, read exactly as <see cref="NumberText"/> does for JSON, and whole-number doubles),
/// finite numbers in range or NaN/Infinity by name for floating point, bool only for bool, base64
/// (<see cref="Base64Text"/>) or arrays of numbers for bytes, names or numbers for enums.
/// </summary>
internal static class ScalarConverter
{
    public static object Convert(FieldDescriptor field, object value, string path, IValueAdapter adapter) => field.FieldType switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)Integer(value, int.MinValue, int.MaxValue, "int32", path),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => (long)Integer(value, long.MinValue, long.MaxValue, "int64", path),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)Integer(value, uint.MinValue, uint.MaxValue, "uint32", path),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)Integer(value, ulong.MinValue, ulong.MaxValue, "uint64", path),
        FieldType.Float => Float(value, path),
        FieldType.Double => Double(value, path),
        FieldType.Bool => value is bool flag ? flag : throw RequestError.WrongValue(path, "a bool ($true or $false)", value),
        FieldType.String => Text(value, path),
        FieldType.Bytes => Bytes(value, path, adapter),
        FieldType.Enum => Enum(field.EnumType, value, path),
        _ => throw new InvalidOperationException($"{field.FieldType} is not a scalar type."),
    };

    /// <summary>Converts a map key given as any value (hashtable keys are often strings) to the key field's type.</summary>
    public static object Key(FieldDescriptor keyField, object key, string path) =>
        keyField.FieldType == FieldType.Bool && key is string text && bool.TryParse(text, out bool flag)
            ? flag
            : Convert(keyField, key, path, PlainValueAdapter.Instance); // keys are scalars, never a bytes field's list

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
            string s => IntegerText(s, min, max, typeName, path),
            System.Enum e => new BigInteger(System.Convert.ToDecimal(e, CultureInfo.InvariantCulture)),
            _ => throw RequestError.WrongValue(path, $"a whole number for {typeName}", value),
        };
        if (number < min || number > max)
        {
            throw RequestError.Create(path, $"{number} is out of range for {typeName} ({min} to {max})");
        }

        return number;
    }

    private static BigInteger IntegerText(string text, BigInteger min, BigInteger max, string typeName, string path)
    {
        string trimmed = text.Trim();
        return NumberText.ParseWhole(trimmed, out BigInteger parsed) switch
        {
            NumberTextResult.Parsed => parsed,
            NumberTextResult.OutOfRange => throw RequestError.Create(path, $"{Shown(trimmed)} is out of range for {typeName} ({min} to {max})"),
            _ => throw RequestError.WrongValue(path, $"a whole number for {typeName}", text),
        };
    }

    private static double Floating(object value, string typeName, string path) => value switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        int or long or short or byte or sbyte or ushort or uint or ulong => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        BigInteger big when double.IsFinite((double)big) => (double)big,
        BigInteger big => throw OutOfRange(Shown(big), typeName, path),
        Int128 i128 => (double)i128,
        UInt128 u128 => (double)u128,
        Half h => (double)h,
        string s => FloatingText(s, typeName, path),
        _ => throw RequestError.WrongValue(path, "a number", value),
    };

    private static double Double(object value, string path) => Floating(value, "double", path);

    private static float Float(object value, string path)
    {
        double number = Floating(value, "float", path);
        if (NumberText.FitsFloat(number))
        {
            return (float)number;
        }

        throw OutOfRange(value is BigInteger big ? Shown(big) : number.ToString(CultureInfo.InvariantCulture), "float", path);
    }

    /// <summary>NaN and the infinities by name (any case, as PowerShell's [double] 'infinity' takes them), or a finite number.</summary>
    private static double FloatingText(string text, string typeName, string path)
    {
        string trimmed = text.Trim();
        if (trimmed.Equals("NaN", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }

        if (trimmed.Equals("Infinity", StringComparison.OrdinalIgnoreCase))
        {
            return double.PositiveInfinity;
        }

        if (trimmed.Equals("-Infinity", StringComparison.OrdinalIgnoreCase))
        {
            return double.NegativeInfinity;
        }

        return NumberText.ParseFinite(trimmed, out double parsed) switch
        {
            NumberTextResult.Parsed => parsed,
            NumberTextResult.OutOfRange => throw OutOfRange(Shown(trimmed), typeName, path),
            _ => throw RequestError.WrongValue(path, "a number, 'NaN', 'Infinity' or '-Infinity'", text),
        };
    }

    /// <summary>A finite value too large for the type is refused: sending ±Infinity would be a different value.</summary>
    private static PluginException OutOfRange(string shown, string typeName, string path)
    {
        string largest = typeName == "float" ? float.MaxValue.ToString(CultureInfo.InvariantCulture) : double.MaxValue.ToString(CultureInfo.InvariantCulture);
        return RequestError.Create(path, $"{shown} is out of range for {typeName} (finite values up to ±{largest}; 'Infinity' and '-Infinity' are given by name)");
    }

    /// <summary>A number as the user gave it, shortened when it has too many digits to read in a message.</summary>
    private static string Shown(string text) => text.Length <= 40 ? text : RequestError.Describe(text);

    private static string Shown(BigInteger number)
    {
        string digits = BigInteger.Abs(number).ToString(CultureInfo.InvariantCulture);
        string sign = number.Sign < 0 ? "-" : string.Empty;
        return digits.Length <= 40 ? sign + digits : $"{sign}{digits[0]}.{digits[1..4]}E+{(digits.Length - 1).ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Text(object value, string path) => value switch
    {
        string s => s,
        char c => c.ToString(),
        IFormattable formattable when value is not DateTime and not DateTimeOffset => formattable.ToString(null, CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        _ => throw RequestError.WrongValue(path, "a string", value),
    };

    private static byte[] Bytes(object value, string path, IValueAdapter adapter)
    {
        const string Expected = "a byte[], a base64 string or an array of numbers 0-255";
        switch (value)
        {
            case byte[] bytes:
                return bytes;
            case string text:
                return Base64Text.TryDecode(text, out byte[] decoded) ? decoded : throw RequestError.WrongValue(path, Expected + " (this text is not base64)", value);

            case IEnumerable items when value is not IDictionary:
                var result = new List<byte>();
                int index = 0;
                foreach (object? item in items)
                {
                    string itemPath = RequestError.Item(path, index);
                    // Pipeline output (65, 66 | % { $_ }, Get-Content -AsByteStream) comes wrapped item by item.
                    object element = adapter.Unwrap(item) ?? throw RequestError.WrongValue(itemPath, "a number 0-255", null);
                    result.Add((byte)Integer(element, byte.MinValue, byte.MaxValue, "a byte", itemPath));
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
