using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Reads proto3 JSON scalars: integers exactly from numbers or strings (exponent notation allowed when the value
/// is whole), floats also from "NaN"/"Infinity"/"-Infinity", bytes from base64 (<see cref="Base64Text"/>), enums
/// by name or number, map keys from property names.
/// </summary>
internal static class JsonScalarReader
{
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;

    public static object Read(FieldType type, JsonElement element) => type switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Boxes.Int32((int)ReadSigned(element, int.MinValue, int.MaxValue, "int32")),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Boxes.Int64(ReadSigned(element, long.MinValue, long.MaxValue, "int64")),
        FieldType.UInt32 or FieldType.Fixed32 => Boxes.UInt32((uint)ReadUnsigned(element, uint.MaxValue, "uint32")),
        FieldType.UInt64 or FieldType.Fixed64 => Boxes.UInt64(ReadUnsigned(element, ulong.MaxValue, "uint64")),
        FieldType.Float => Boxes.Float(ReadFloat(element)),
        FieldType.Double => Boxes.Double(ReadDouble(element, "double")),
        FieldType.Bool => element.ValueKind switch
        {
            JsonValueKind.True => Boxes.True,
            JsonValueKind.False => Boxes.False,
            _ => throw JsonReadErrors.Expected("true or false", element),
        },
        FieldType.String => ReadString(element),
        FieldType.Bytes => ReadBytes(element),
        _ => throw new InvalidOperationException($"{type} is not a scalar type."),
    };

    /// <summary>An enum value by name or number; null for an unknown name when unknown names are to be skipped.</summary>
    public static object? ReadEnum(EnumDescriptor type, JsonElement element, bool ignoreUnknown)
    {
        if (element.ValueKind == JsonValueKind.Null && type.FullName == WellKnownTypes.NullValueEnum)
        {
            return Boxes.Int32(0);
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            string name = ReadString(element);
            if (type.FindValueByName(name) is { } value)
            {
                return Boxes.Int32(value.Number);
            }

            return ignoreUnknown ? null : throw new ProtobufCodecException(
                $"'{name}' is not a value of enum {type.FullName}; expected one of {string.Join(", ", ValueNames(type))} or a number.");
        }

        if (element.ValueKind == JsonValueKind.Number)
        {
            return Boxes.Int32((int)ReadSigned(element, int.MinValue, int.MaxValue, "an enum number"));
        }

        throw JsonReadErrors.Expected($"an enum value name of {type.FullName} or a number", element);
    }

    /// <summary>A map key from a JSON property name: strings as they are, integers in decimal, "true"/"false".</summary>
    public static object ReadMapKey(FieldType type, string text)
    {
        object? key = type switch
        {
            FieldType.String => text,
            FieldType.Bool => text switch { "true" => Boxes.True, "false" => Boxes.False, _ => null },
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out int i) ? i : null,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out long l) ? l : null,
            FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint u) ? u : null,
            FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong ul) ? ul : null,
            _ => null,
        };
        return key ?? throw new ProtobufCodecException($"The map key '{text}' is not a valid {ValueErrors.Kind(type)}.");
    }

    public static string ReadString(JsonElement element)
    {
        JsonReadErrors.ExpectKind(element, JsonValueKind.String, "a string");
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new ProtobufCodecException("A JSON string is not valid Unicode.", innerException: e);
        }
    }

    public static double ReadDouble(JsonElement element, string kind)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            return element.TryGetDouble(out double d) && double.IsFinite(d) ? d : throw JsonReadErrors.OutOfRange(kind, element);
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            throw JsonReadErrors.Expected($"a number or \"NaN\", \"Infinity\", \"-Infinity\" for {kind}", element);
        }

        string text = ReadString(element);
        switch (text)
        {
            case "NaN":
                return double.NaN;
            case "Infinity":
                return double.PositiveInfinity;
            case "-Infinity":
                return double.NegativeInfinity;
        }

        return NumberText.ParseFinite(text, out double parsed) switch
        {
            NumberTextResult.Parsed => parsed,
            NumberTextResult.OutOfRange => throw JsonReadErrors.OutOfRange(kind, element),
            _ => throw JsonReadErrors.Expected($"a number or \"NaN\", \"Infinity\", \"-Infinity\" for {kind}", element),
        };
    }

    private static float ReadFloat(JsonElement element)
    {
        double value = ReadDouble(element, "float");
        return NumberText.FitsFloat(value) ? (float)value : throw JsonReadErrors.OutOfRange("float", element);
    }

    private static long ReadSigned(JsonElement element, long min, long max, string kind)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out long exact))
        {
            return exact >= min && exact <= max ? exact : throw JsonReadErrors.OutOfRange(kind, element);
        }

        string text = IntegerText(element, kind);
        if (long.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out long parsed))
        {
            return parsed >= min && parsed <= max ? parsed : throw JsonReadErrors.OutOfRange(kind, element);
        }

        return (long)WholeNumber(element, text, min, max, kind);
    }

    private static ulong ReadUnsigned(JsonElement element, ulong max, string kind)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetUInt64(out ulong exact))
        {
            return exact <= max ? exact : throw JsonReadErrors.OutOfRange(kind, element);
        }

        string text = IntegerText(element, kind);
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong parsed))
        {
            return parsed <= max ? parsed : throw JsonReadErrors.OutOfRange(kind, element);
        }

        return (ulong)WholeNumber(element, text, ulong.MinValue, max, kind);
    }

    private static string IntegerText(JsonElement element, string kind) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.String => ReadString(element),
        _ => throw JsonReadErrors.Expected($"an integer (number or string) for {kind}", element),
    };

    /// <summary>
    /// An integer read exactly, not through a double: exponent notation (1e2) and whole decimals (5.0) are accepted
    /// when the value is whole, as proto3 JSON allows.
    /// </summary>
    private static BigInteger WholeNumber(JsonElement element, string text, BigInteger min, BigInteger max, string kind) =>
        NumberText.ParseWhole(text, out BigInteger value) switch
        {
            NumberTextResult.Parsed when value >= min && value <= max => value,
            NumberTextResult.Parsed or NumberTextResult.OutOfRange => throw JsonReadErrors.OutOfRange(kind, element),
            NumberTextResult.NotWhole => throw JsonReadErrors.Expected($"a whole number for {kind}", element),
            _ => throw JsonReadErrors.Expected($"an integer (number or string) for {kind}", element),
        };

    private static byte[] ReadBytes(JsonElement element) =>
        Base64Text.TryDecode(ReadString(element), out byte[] bytes) ? bytes : throw JsonReadErrors.Expected("base64 text for bytes", element);

    private static string[] ValueNames(EnumDescriptor type)
    {
        var names = new string[type.Values.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = type.Values[i].Name;
        }

        return names;
    }
}
