using System.Buffers;
using System.Numerics;
using System.Text;
using MessagePack;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// Reads cty's msgpack by type into host values: numbers as long, BigInteger (integers past 64 bits), double, or
/// the decimal text when a double would lose digits; strings; bools; lists, sets and tuples as object?[]; maps
/// (keys in code-point order, as cty orders them) and objects (attributes in the type's order) as
/// OrderedDictionary; dynamic values by the type they carry; any extension value as
/// <see cref="TerraformUnknown"/> (refinements are not kept).
/// </summary>
internal static class CtyMsgpackReader
{
    private const sbyte RefinedUnknown = 12;

    public static object? Read(ref MessagePackReader reader, CtyType type, int depth)
    {
        if (depth > CtyValueNormalizer.MaxDepth)
        {
            throw new CtyValueError($"the value nests more than {CtyValueNormalizer.MaxDepth} levels deep");
        }

        try
        {
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Extension:
                    return ReadUnknown(ref reader);
                case MessagePackType.Nil:
                    reader.ReadNil();
                    return null;
            }

            return type.Kind switch
            {
                CtyKind.String => reader.NextMessagePackType == MessagePackType.String ? reader.ReadString() : throw Expected("a string", ref reader),
                CtyKind.Bool => reader.NextMessagePackType == MessagePackType.Boolean ? reader.ReadBoolean() : throw Expected("a bool", ref reader),
                CtyKind.Number => ReadNumber(ref reader),
                CtyKind.Dynamic => ReadDynamic(ref reader, depth),
                CtyKind.List or CtyKind.Set => ReadSequence(ref reader, type, depth),
                CtyKind.Tuple => ReadSequence(ref reader, type, depth),
                CtyKind.Map => ReadMap(ref reader, type, depth),
                _ => ReadObject(ref reader, type, depth),
            };
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or DecoderFallbackException or ArgumentException)
        {
            // MessagePackReader reports a length past the end as an out-of-range argument.
            throw new CtyValueError($"the msgpack data is malformed ({e.Message})", e);
        }
    }

    private static TerraformUnknown ReadUnknown(ref MessagePackReader reader)
    {
        ExtensionHeader header = reader.ReadExtensionFormatHeader();

        // As cty: an extension of length 0 or 1 is a plain unknown, whatever its type code; a longer one must be a
        // refined unknown (type 12), whose refinements are skipped.
        if (header.Length > 1 && header.TypeCode != RefinedUnknown)
        {
            throw new CtyValueError($"extension type {header.TypeCode} is not an unknown value");
        }

        reader.ReadRaw(header.Length);
        return TerraformUnknown.Value;
    }

    private static object ReadNumber(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                ulong unsigned = reader.ReadUInt64();
                return unsigned <= long.MaxValue ? (object)(long)unsigned : new BigInteger(unsigned);
            case MessagePackType.Integer:
                return reader.ReadInt64();
            case MessagePackType.Float:
                double d = reader.ReadDouble();
                if (double.IsNaN(d))
                {
                    throw new CtyValueError("NaN is not a number Terraform can hold");
                }

                return d >= -9.2233720368547758E18 && d < 9.2233720368547758E18 && d == Math.Floor(d) ? (object)(long)d : d;
            case MessagePackType.String:
                string text = reader.ReadString()!;
                return CtyNumber.TryParse(text, out CtyNumber number)
                    ? number.ToHostValue()
                    : throw new CtyValueError($"'{(text.Length > 80 ? text[..80] + "..." : text)}' is not a number");
            default:
                throw Expected("a number", ref reader);
        }
    }

    private static object? ReadDynamic(ref MessagePackReader reader, int depth)
    {
        if (reader.NextMessagePackType != MessagePackType.Array || reader.ReadArrayHeader() != 2)
        {
            throw new CtyValueError("a dynamic value must be a [type, value] array of two");
        }

        CtyType type;
        try
        {
            type = reader.NextMessagePackType switch
            {
                MessagePackType.Binary => CtyType.Parse(reader.ReadBytes()!.Value.ToArray()),
                MessagePackType.String => CtyType.Parse(reader.ReadString()!),
                _ => throw new CtyValueError("a dynamic value's type must be JSON in a binary or string"),
            };
        }
        catch (PluginException e)
        {
            throw new CtyValueError(e.Message.TrimEnd('.'), e);
        }

        object? value = Read(ref reader, type, depth + 1);
        CtyTypeInference.Remember(value, type);
        return value;
    }

    private static object?[] ReadSequence(ref MessagePackReader reader, CtyType type, int depth)
    {
        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            throw Expected(type.Kind == CtyKind.Tuple ? "a tuple (an array)" : "an array", ref reader);
        }

        int count = reader.ReadArrayHeader();
        if (type.Kind == CtyKind.Tuple && count != type.Elements.Count)
        {
            throw new CtyValueError($"expected {type.Elements.Count} element(s) for {type}, got {count}");
        }

        var items = new object?[count];
        for (int i = 0; i < count; i++)
        {
            try
            {
                items[i] = Read(ref reader, type.Kind == CtyKind.Tuple ? type.Elements[i] : type.ElementType!, depth + 1);
            }
            catch (CtyValueError e)
            {
                throw e.AtIndex(i);
            }
        }

        return items;
    }

    private static System.Collections.Specialized.OrderedDictionary ReadMap(ref MessagePackReader reader, CtyType type, int depth)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            throw Expected("a map", ref reader);
        }

        int count = reader.ReadMapHeader();
        var entries = new List<KeyValuePair<string, object?>>(count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string key = ReadKey(ref reader);
            if (!keys.Add(key))
            {
                throw new CtyValueError($"the key '{key}' appears twice");
            }

            try
            {
                entries.Add(new(key, Read(ref reader, type.ElementType!, depth + 1)));
            }
            catch (CtyValueError e)
            {
                throw e.AtKey(key);
            }
        }

        entries.Sort((a, b) => CtyDictionaries.CompareKeys(a.Key, b.Key));
        var map = CtyDictionaries.Create(entries.ConvertAll(e => e.Key));
        entries.ForEach(e => map.Add(e.Key, e.Value));
        return map;
    }

    private static System.Collections.Specialized.OrderedDictionary ReadObject(ref MessagePackReader reader, CtyType type, int depth)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            throw Expected($"an object (a map of attributes)", ref reader);
        }

        int count = reader.ReadMapHeader();
        var values = new object?[type.Attributes.Count];
        var seen = new bool[type.Attributes.Count];
        for (int i = 0; i < count; i++)
        {
            string name = ReadKey(ref reader);
            int index = type.IndexOf(name);
            if (index < 0 || seen[index])
            {
                throw new CtyValueError(index < 0 ? $"the value has an attribute '{name}' that its type has not" : $"the attribute '{name}' appears twice");
            }

            seen[index] = true;
            try
            {
                values[index] = Read(ref reader, type.Attributes[index].Type, depth + 1);
            }
            catch (CtyValueError e)
            {
                throw e.At(name);
            }
        }

        // Missing attributes read as null (cty insists on all of them; a reader need not).
        var names = new string[values.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = type.Attributes[i].Name;
        }

        var result = CtyDictionaries.Create(names);
        for (int i = 0; i < values.Length; i++)
        {
            result.Add(names[i], values[i]);
        }

        return result;
    }

    private static string ReadKey(ref MessagePackReader reader) =>
        reader.NextMessagePackType == MessagePackType.String ? reader.ReadString()! : throw Expected("a string key", ref reader);

    private static CtyValueError Expected(string what, ref MessagePackReader reader) =>
        new($"expected {what}, got a msgpack {reader.NextMessagePackType.ToString().ToLowerInvariant()}");
}
