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
        bool packed = wireType == WireType.LengthDelimited && field.IsPackable;
        if (wireType != field.WireType && !packed)
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
            case FieldType.Int32 or FieldType.Enum: Scalars<int, Int32Varint>(ref reader, message, index, packed); break;
            case FieldType.SInt32: Scalars<int, SInt32Varint>(ref reader, message, index, packed); break;
            case FieldType.SFixed32: Scalars<int, Fixed32Int>(ref reader, message, index, packed); break;
            case FieldType.Int64: Scalars<long, Int64Varint>(ref reader, message, index, packed); break;
            case FieldType.SInt64: Scalars<long, SInt64Varint>(ref reader, message, index, packed); break;
            case FieldType.SFixed64: Scalars<long, Fixed64Long>(ref reader, message, index, packed); break;
            case FieldType.UInt32: Scalars<uint, UInt32Varint>(ref reader, message, index, packed); break;
            case FieldType.Fixed32: Scalars<uint, Fixed32UInt>(ref reader, message, index, packed); break;
            case FieldType.UInt64: Scalars<ulong, UInt64Varint>(ref reader, message, index, packed); break;
            case FieldType.Fixed64: Scalars<ulong, Fixed64ULong>(ref reader, message, index, packed); break;
            case FieldType.Float: Scalars<float, Fixed32Float>(ref reader, message, index, packed); break;
            case FieldType.Double: Scalars<double, Fixed64Double>(ref reader, message, index, packed); break;
            case FieldType.Bool: Scalars<bool, BoolVarint>(ref reader, message, index, packed); break;
        }
    }

    /// <summary>Reads one element, or a packed block of them.</summary>
    private static void Scalars<T, TCodec>(ref WireReader reader, DynamicMessage message, int index, bool packed)
        where T : unmanaged
        where TCodec : IWireScalar<T>
    {
        List<T> list = message.GetOrCreateList<T>(index);
        if (!packed)
        {
            list.Add(TCodec.Read(ref reader));
            return;
        }

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
