using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>Writes repeated fields: packed blocks (one copy for fixed-width kinds) or one tag per element.</summary>
internal static class RepeatedEncoder
{
    public static void Write(ref WireWriter writer, FieldEntry field, object value)
    {
        switch (field.Type)
        {
            case FieldType.Int32 or FieldType.Enum: Scalars<int, Int32Varint>(ref writer, field, (List<int>)value); break;
            case FieldType.SInt32: Scalars<int, SInt32Varint>(ref writer, field, (List<int>)value); break;
            case FieldType.SFixed32: Scalars<int, Fixed32Int>(ref writer, field, (List<int>)value); break;
            case FieldType.Int64: Scalars<long, Int64Varint>(ref writer, field, (List<long>)value); break;
            case FieldType.SInt64: Scalars<long, SInt64Varint>(ref writer, field, (List<long>)value); break;
            case FieldType.SFixed64: Scalars<long, Fixed64Long>(ref writer, field, (List<long>)value); break;
            case FieldType.UInt32: Scalars<uint, UInt32Varint>(ref writer, field, (List<uint>)value); break;
            case FieldType.Fixed32: Scalars<uint, Fixed32UInt>(ref writer, field, (List<uint>)value); break;
            case FieldType.UInt64: Scalars<ulong, UInt64Varint>(ref writer, field, (List<ulong>)value); break;
            case FieldType.Fixed64: Scalars<ulong, Fixed64ULong>(ref writer, field, (List<ulong>)value); break;
            case FieldType.Float: Scalars<float, Fixed32Float>(ref writer, field, (List<float>)value); break;
            case FieldType.Double: Scalars<double, Fixed64Double>(ref writer, field, (List<double>)value); break;
            case FieldType.Bool: Scalars<bool, BoolVarint>(ref writer, field, (List<bool>)value); break;
            case FieldType.String: Strings(ref writer, field, (List<string>)value); break;
            case FieldType.Bytes: Bytes(ref writer, field, (List<byte[]>)value); break;
            default: Messages(ref writer, field, (List<DynamicMessage>)value); break;
        }
    }

    private static void Scalars<T, TCodec>(ref WireWriter writer, FieldEntry field, List<T> list)
        where T : unmanaged
        where TCodec : IWireScalar<T>
    {
        if (list.Count == 0)
        {
            return;
        }

        ReadOnlySpan<T> items = CollectionsMarshal.AsSpan(list);
        if (!field.IsPacked)
        {
            foreach (T item in items)
            {
                writer.WriteVarint32(field.Tag);
                TCodec.Write(ref writer, item);
            }

            return;
        }

        int payload = RepeatedSizes.Payload<T, TCodec>(list);
        writer.WriteVarint32(field.Tag);
        writer.WriteVarint32((uint)payload);
        if (TCodec.RawCopy && BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(items).CopyTo(writer.Reserve(payload));
            return;
        }

        foreach (T item in items)
        {
            TCodec.Write(ref writer, item);
        }
    }

    private static void Strings(ref WireWriter writer, FieldEntry field, List<string> list)
    {
        foreach (string item in CollectionsMarshal.AsSpan(list))
        {
            writer.WriteVarint32(field.Tag);
            writer.WriteString(item, Encoding.UTF8.GetByteCount(item));
        }
    }

    private static void Bytes(ref WireWriter writer, FieldEntry field, List<byte[]> list)
    {
        foreach (byte[] item in CollectionsMarshal.AsSpan(list))
        {
            writer.WriteVarint32(field.Tag);
            writer.WriteVarint32((uint)item.Length);
            writer.WriteBytes(item);
        }
    }

    private static void Messages(ref WireWriter writer, FieldEntry field, List<DynamicMessage> list)
    {
        bool group = field.Type == FieldType.Group;
        foreach (DynamicMessage item in CollectionsMarshal.AsSpan(list))
        {
            writer.WriteVarint32(field.Tag);
            if (group)
            {
                MessageEncoder.WriteGroup(ref writer, field, item);
            }
            else
            {
                MessageEncoder.WriteNested(ref writer, field, item);
            }
        }
    }
}
