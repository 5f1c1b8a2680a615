using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Reads repeated fields into typed lists. Packable kinds are accepted packed or unpacked whatever the
/// declaration says, as the protobuf specification requires of parsers.
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
                var child = new DynamicMessage(field.MessageTable.Descriptor, field.MessageTable.Fields.Length);
                if (field.Type == FieldType.Group)
                {
                    MessageDecoder.ReadGroup(ref reader, child, field.MessageTable, field.Number);
                }
                else
                {
                    MessageDecoder.ReadLengthDelimited(ref reader, child, field.MessageTable);
                }

                messages.Add(child);
                break;
            default:
                ReadOne(ref reader, message, field);
                break;
        }
    }

    private static void ReadOne(ref WireReader reader, DynamicMessage message, FieldEntry field)
    {
        int index = field.Index;
        switch (field.Type)
        {
            case FieldType.Int32:
            case FieldType.Enum:
                message.GetOrCreateList<int>(index).Add((int)reader.ReadVarint64());
                break;
            case FieldType.SInt32:
                message.GetOrCreateList<int>(index).Add(WireFormat.UnZigZag32(reader.ReadVarint32()));
                break;
            case FieldType.SFixed32:
                message.GetOrCreateList<int>(index).Add((int)reader.ReadFixed32());
                break;
            case FieldType.Int64:
                message.GetOrCreateList<long>(index).Add((long)reader.ReadVarint64());
                break;
            case FieldType.SInt64:
                message.GetOrCreateList<long>(index).Add(WireFormat.UnZigZag64(reader.ReadVarint64()));
                break;
            case FieldType.SFixed64:
                message.GetOrCreateList<long>(index).Add((long)reader.ReadFixed64());
                break;
            case FieldType.UInt32:
                message.GetOrCreateList<uint>(index).Add(reader.ReadVarint32());
                break;
            case FieldType.Fixed32:
                message.GetOrCreateList<uint>(index).Add(reader.ReadFixed32());
                break;
            case FieldType.UInt64:
                message.GetOrCreateList<ulong>(index).Add(reader.ReadVarint64());
                break;
            case FieldType.Fixed64:
                message.GetOrCreateList<ulong>(index).Add(reader.ReadFixed64());
                break;
            case FieldType.Float:
                message.GetOrCreateList<float>(index).Add(BitConverter.Int32BitsToSingle((int)reader.ReadFixed32()));
                break;
            case FieldType.Double:
                message.GetOrCreateList<double>(index).Add(BitConverter.Int64BitsToDouble((long)reader.ReadFixed64()));
                break;
            case FieldType.Bool:
                message.GetOrCreateList<bool>(index).Add(reader.ReadVarint64() != 0);
                break;
        }
    }

    private static void ReadPacked(ref WireReader reader, DynamicMessage message, FieldEntry field, int tagStart)
    {
        int index = field.Index;
        switch (field.Type)
        {
            case FieldType.Fixed32:
                AppendFixed(message.GetOrCreateList<uint>(index), ReadFixedBlock(ref reader, 4));
                return;
            case FieldType.SFixed32:
                AppendFixed(message.GetOrCreateList<int>(index), ReadFixedBlock(ref reader, 4));
                return;
            case FieldType.Float:
                AppendFixed(message.GetOrCreateList<float>(index), ReadFixedBlock(ref reader, 4));
                return;
            case FieldType.Fixed64:
                AppendFixed(message.GetOrCreateList<ulong>(index), ReadFixedBlock(ref reader, 8));
                return;
            case FieldType.SFixed64:
                AppendFixed(message.GetOrCreateList<long>(index), ReadFixedBlock(ref reader, 8));
                return;
            case FieldType.Double:
                AppendFixed(message.GetOrCreateList<double>(index), ReadFixedBlock(ref reader, 8));
                return;
        }

        int length = reader.ReadLength();
        int count = CountVarints(reader.Peek(length));
        int oldLimit = reader.PushLimit(length);
        switch (field.Type)
        {
            case FieldType.Int32:
            case FieldType.Enum:
                List<int> ints = Reserve(message.GetOrCreateList<int>(index), count);
                while (!reader.AtLimit)
                {
                    ints.Add((int)reader.ReadVarint64());
                }

                break;
            case FieldType.SInt32:
                List<int> sints = Reserve(message.GetOrCreateList<int>(index), count);
                while (!reader.AtLimit)
                {
                    sints.Add(WireFormat.UnZigZag32(reader.ReadVarint32()));
                }

                break;
            case FieldType.Int64:
                List<long> longs = Reserve(message.GetOrCreateList<long>(index), count);
                while (!reader.AtLimit)
                {
                    longs.Add((long)reader.ReadVarint64());
                }

                break;
            case FieldType.SInt64:
                List<long> slongs = Reserve(message.GetOrCreateList<long>(index), count);
                while (!reader.AtLimit)
                {
                    slongs.Add(WireFormat.UnZigZag64(reader.ReadVarint64()));
                }

                break;
            case FieldType.UInt32:
                List<uint> uints = Reserve(message.GetOrCreateList<uint>(index), count);
                while (!reader.AtLimit)
                {
                    uints.Add(reader.ReadVarint32());
                }

                break;
            case FieldType.UInt64:
                List<ulong> ulongs = Reserve(message.GetOrCreateList<ulong>(index), count);
                while (!reader.AtLimit)
                {
                    ulongs.Add(reader.ReadVarint64());
                }

                break;
            case FieldType.Bool:
                List<bool> bools = Reserve(message.GetOrCreateList<bool>(index), count);
                while (!reader.AtLimit)
                {
                    bools.Add(reader.ReadVarint64() != 0);
                }

                break;
            default:
                throw MessageDecoder.WrongWireType(tagStart, field, WireType.LengthDelimited);
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

    private static List<T> Reserve<T>(List<T> list, int count)
    {
        list.EnsureCapacity(list.Count + count);
        return list;
    }
}
