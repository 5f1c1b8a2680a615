using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Reads repeated fields into typed lists. Packable kinds are accepted packed or unpacked whatever the
/// declaration says, as the protobuf specification requires of parsers. Every scalar kind goes through one generic
/// loop, specialised per kind by its <see cref="IWireScalar{T}"/> codec.
/// </summary>
internal static class RepeatedDecoder
{
    public static void Read(ref WireReader reader, DynamicMessage message, FieldEntry field, WireType wireType, int tagStart)
    {
        if (wireType == WireType.LengthDelimited && field.IsPackable)
        {
            ReadPacked(ref reader, message, field, tagStart);
            return;
        }

        if (wireType != field.WireType)
        {
            throw MessageDecoder.WrongWireType(tagStart, field, wireType);
        }

        int index = field.Index;
        switch (field.Type)
        {
            case FieldType.String:
                message.GetOrCreateList<string>(index).Add(ScalarReader.ReadString(ref reader));
                break;
            case FieldType.Bytes:
                message.GetOrCreateList<byte[]>(index).Add(ScalarReader.ReadBytes(ref reader));
                break;
            case FieldType.Message:
            case FieldType.Group:
                List<DynamicMessage> messages = message.GetOrCreateList<DynamicMessage>(index);
                DynamicMessage child = field.MessageTable.NewMessage();
                MessageDecoder.ReadChild(ref reader, child, field);
                messages.Add(child);
                break;
            case FieldType.Int32 or FieldType.Enum: One<int, Int32Varint>(ref reader, message, index); break;
            case FieldType.SInt32: One<int, SInt32Varint>(ref reader, message, index); break;
            case FieldType.SFixed32: One<int, Fixed32Int>(ref reader, message, index); break;
            case FieldType.Int64: One<long, Int64Varint>(ref reader, message, index); break;
            case FieldType.SInt64: One<long, SInt64Varint>(ref reader, message, index); break;
            case FieldType.SFixed64: One<long, Fixed64Long>(ref reader, message, index); break;
            case FieldType.UInt32: One<uint, UInt32Varint>(ref reader, message, index); break;
            case FieldType.Fixed32: One<uint, Fixed32UInt>(ref reader, message, index); break;
            case FieldType.UInt64: One<ulong, UInt64Varint>(ref reader, message, index); break;
            case FieldType.Fixed64: One<ulong, Fixed64ULong>(ref reader, message, index); break;
            case FieldType.Float: One<float, Fixed32Float>(ref reader, message, index); break;
            case FieldType.Double: One<double, Fixed64Double>(ref reader, message, index); break;
            case FieldType.Bool: One<bool, BoolVarint>(ref reader, message, index); break;
        }
    }

    private static void ReadPacked(ref WireReader reader, DynamicMessage message, FieldEntry field, int tagStart)
    {
        int index = field.Index;
        switch (field.Type)
        {
            case FieldType.Int32 or FieldType.Enum: Packed<int, Int32Varint>(ref reader, message, index); break;
            case FieldType.SInt32: Packed<int, SInt32Varint>(ref reader, message, index); break;
            case FieldType.SFixed32: Packed<int, Fixed32Int>(ref reader, message, index); break;
            case FieldType.Int64: Packed<long, Int64Varint>(ref reader, message, index); break;
            case FieldType.SInt64: Packed<long, SInt64Varint>(ref reader, message, index); break;
            case FieldType.SFixed64: Packed<long, Fixed64Long>(ref reader, message, index); break;
            case FieldType.UInt32: Packed<uint, UInt32Varint>(ref reader, message, index); break;
            case FieldType.Fixed32: Packed<uint, Fixed32UInt>(ref reader, message, index); break;
            case FieldType.UInt64: Packed<ulong, UInt64Varint>(ref reader, message, index); break;
            case FieldType.Fixed64: Packed<ulong, Fixed64ULong>(ref reader, message, index); break;
            case FieldType.Float: Packed<float, Fixed32Float>(ref reader, message, index); break;
            case FieldType.Double: Packed<double, Fixed64Double>(ref reader, message, index); break;
            case FieldType.Bool: Packed<bool, BoolVarint>(ref reader, message, index); break;
            default: throw MessageDecoder.WrongWireType(tagStart, field, WireType.LengthDelimited);
        }
    }

    private static void One<T, TCodec>(ref WireReader reader, DynamicMessage message, int index)
        where TCodec : IWireScalar<T> =>
        message.GetOrCreateList<T>(index).Add(TCodec.Read(ref reader));

    private static void Packed<T, TCodec>(ref WireReader reader, DynamicMessage message, int index)
        where T : unmanaged
        where TCodec : IWireScalar<T>
    {
        List<T> list = message.GetOrCreateList<T>(index);
        if (TCodec.RawCopy)
        {
            AppendFixed(list, ReadFixedBlock(ref reader, TCodec.FixedSize));
            return;
        }

        int length = reader.ReadLength();
        list.EnsureCapacity(list.Count + CountVarints(reader.Peek(length)));
        int oldLimit = reader.PushLimit(length);
        while (!reader.AtLimit)
        {
            list.Add(TCodec.Read(ref reader));
        }

        reader.PopLimit(oldLimit);
    }

    private static ReadOnlySpan<byte> ReadFixedBlock(ref WireReader reader, int elementSize)
    {
        int start = reader.Position;
        int length = reader.ReadLength();
        if (length % elementSize != 0)
        {
            throw WireErrors.PackedLength(start, length, elementSize);
        }

        return reader.ReadSpan(length);
    }

    /// <summary>Appends little-endian fixed-size values with one copy (no per-element reads on little-endian hosts).</summary>
    private static void AppendFixed<T>(List<T> list, ReadOnlySpan<byte> bytes)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        int old = list.Count;
        CollectionsMarshal.SetCount(list, old + (bytes.Length / size));
        Span<T> target = CollectionsMarshal.AsSpan(list)[old..];
        bytes.CopyTo(MemoryMarshal.AsBytes(target));
        if (!BitConverter.IsLittleEndian)
        {
            Span<byte> raw = MemoryMarshal.AsBytes(target);
            for (int i = 0; i < raw.Length; i += size)
            {
                raw.Slice(i, size).Reverse();
            }
        }
    }

    /// <summary>The number of varints in a packed block: one per byte without the continuation bit.</summary>
    private static int CountVarints(ReadOnlySpan<byte> block)
    {
        int count = 0;
        foreach (byte b in block)
        {
            count += (b >> 7) ^ 1;
        }

        return count;
    }
}
