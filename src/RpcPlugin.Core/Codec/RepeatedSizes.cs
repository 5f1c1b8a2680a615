using System.Runtime.InteropServices;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>Sizes of repeated fields, packed or not, checking that each holds the list type its kind needs.</summary>
internal static class RepeatedSizes
{
    public static int Size(FieldEntry field, object value, int depth, int recursionLimit) => field.Type switch
    {
        FieldType.Int32 or FieldType.Enum => Scalars<int, Int32Varint>(field, value),
        FieldType.SInt32 => Scalars<int, SInt32Varint>(field, value),
        FieldType.SFixed32 => Scalars<int, Fixed32Int>(field, value),
        FieldType.Int64 => Scalars<long, Int64Varint>(field, value),
        FieldType.SInt64 => Scalars<long, SInt64Varint>(field, value),
        FieldType.SFixed64 => Scalars<long, Fixed64Long>(field, value),
        FieldType.UInt32 => Scalars<uint, UInt32Varint>(field, value),
        FieldType.Fixed32 => Scalars<uint, Fixed32UInt>(field, value),
        FieldType.UInt64 => Scalars<ulong, UInt64Varint>(field, value),
        FieldType.Fixed64 => Scalars<ulong, Fixed64ULong>(field, value),
        FieldType.Float => Scalars<float, Fixed32Float>(field, value),
        FieldType.Double => Scalars<double, Fixed64Double>(field, value),
        FieldType.Bool => Scalars<bool, BoolVarint>(field, value),
        FieldType.String => Strings(field, value),
        FieldType.Bytes => Bytes(field, value),
        _ => Messages(field, value, depth, recursionLimit),
    };

    /// <summary>The size of the values alone: the length of a packed block.</summary>
    public static int Payload<T, TCodec>(List<T> list)
        where TCodec : IWireScalar<T>
    {
        if (TCodec.FixedSize > 0)
        {
            return list.Count * TCodec.FixedSize;
        }

        int size = 0;
        foreach (T item in CollectionsMarshal.AsSpan(list))
        {
            size += TCodec.Size(item);
        }

        return size;
    }

    private static int Scalars<T, TCodec>(FieldEntry field, object value)
        where TCodec : IWireScalar<T>
    {
        if (value is not List<T> list)
        {
            throw ValueErrors.WrongList(field.Type, value);
        }

        if (list.Count == 0)
        {
            return 0;
        }

        int payload = Payload<T, TCodec>(list);
        return field.IsPacked
            ? field.TagSize + WireFormat.VarintSize((uint)payload) + payload
            : (list.Count * field.TagSize) + payload;
    }

    private static int Strings(FieldEntry field, object value)
    {
        if (value is not List<string> list)
        {
            throw ValueErrors.WrongList(field.Type, value);
        }

        int size = list.Count * field.TagSize;
        int index = 0;
        try
        {
            for (; index < list.Count; index++)
            {
                int length = Utf8Text.ByteCount(list[index] ?? throw ValueErrors.NullElement());
                size += WireFormat.VarintSize((uint)length) + length;
            }
        }
        catch (ProtobufCodecException e)
        {
            e.WithParent($"[{index}]");
            throw;
        }

        return size;
    }

    private static int Bytes(FieldEntry field, object value)
    {
        if (value is not List<byte[]> list)
        {
            throw ValueErrors.WrongList(field.Type, value);
        }

        int size = list.Count * field.TagSize;
        foreach (byte[]? item in CollectionsMarshal.AsSpan(list))
        {
            int length = (item ?? throw ValueErrors.NullElement()).Length;
            size += WireFormat.VarintSize((uint)length) + length;
        }

        return size;
    }

    private static int Messages(FieldEntry field, object value, int depth, int recursionLimit)
    {
        if (value is not List<DynamicMessage> list)
        {
            throw ValueErrors.WrongList(field.Type, value);
        }

        bool group = field.Type == FieldType.Group;
        int size = list.Count * (group ? 2 * field.TagSize : field.TagSize);
        int index = 0;
        try
        {
            for (; index < list.Count; index++)
            {
                int itemSize = SizeCalculator.NestedSize(field, list[index] ?? throw ValueErrors.NullElement(), depth, recursionLimit);
                size += group ? itemSize : WireFormat.VarintSize((uint)itemSize) + itemSize;
            }
        }
        catch (ProtobufCodecException e)
        {
            e.WithParent($"[{index}]");
            throw;
        }

        return size;
    }
}
