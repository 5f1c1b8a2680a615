using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Reads the protobuf wire format from a span. Every read is bounds-checked against the current limit (the end of
/// the data or of the enclosing length-delimited message) and fails with <see cref="ProtobufCodecException"/>,
/// so malformed input can neither overrun nor make us allocate for a length the input does not have.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> buffer;
    private readonly int recursionLimit;
    private int position;
    private int limit;
    private int depth;

    public WireReader(ReadOnlySpan<byte> buffer, int recursionLimit)
    {
        this.buffer = buffer;
        this.recursionLimit = recursionLimit;
        limit = buffer.Length;
    }

    /// <summary>The offset of the next byte, from the start of the input.</summary>
    public readonly int Position => position;

    /// <summary>Whether the current message (or the whole input) has been read.</summary>
    public readonly bool AtLimit => position >= limit;

    /// <summary>Reads a tag and rejects field number 0 and the wire types 6 and 7.</summary>
    public uint ReadTag()
    {
        int start = position;
        ulong raw = ReadVarint64();
        if (raw > uint.MaxValue)
        {
            throw WireErrors.TagTooLarge(start);
        }

        uint tag = (uint)raw;
        if (tag >> 3 == 0)
        {
            throw WireErrors.FieldNumberZero(start);
        }

        if ((tag & 7) > 5)
        {
            throw WireErrors.InvalidWireType(start, (int)(tag >> 3), (int)(tag & 7));
        }

        return tag;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint64()
    {
        int pos = position;
        if (pos < limit)
        {
            byte first = buffer[pos];
            if (first < 0x80)
            {
                position = pos + 1;
                return first;
            }
        }

        return ReadVarint64Slow();
    }

    /// <summary>A varint truncated to 32 bits, as int32, uint32, enum and bool values are read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadVarint32() => (uint)ReadVarint64();

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadFixed(4));

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(ReadFixed(8));

    /// <summary>Reads a length prefix and checks that that many bytes remain before the limit.</summary>
    public int ReadLength()
    {
        int start = position;
        ulong length = ReadVarint64();
        int left = limit - position;
        if (length > (ulong)left)
        {
            throw WireErrors.LengthPastEnd(start, length, left, limit < buffer.Length);
        }

        return (int)length;
    }

    /// <summary>The next <paramref name="length"/> bytes, which <see cref="ReadLength"/> has already bounded.</summary>
    public ReadOnlySpan<byte> ReadSpan(int length)
    {
        ReadOnlySpan<byte> span = buffer.Slice(position, length);
        position += length;
        return span;
    }

    /// <summary>The next <paramref name="length"/> bytes without consuming them (already bounded by <see cref="ReadLength"/>).</summary>
    public readonly ReadOnlySpan<byte> Peek(int length) => buffer.Slice(position, length);

    /// <summary>Bytes already read, e.g. an unknown field to keep verbatim.</summary>
    public readonly ReadOnlySpan<byte> Slice(int start, int end) => buffer[start..end];

    /// <summary>Limits reading to the next <paramref name="length"/> bytes; returns the limit to restore.</summary>
    public int PushLimit(int length)
    {
        int old = limit;
        limit = position + length;
        return old;
    }

    public void PopLimit(int oldLimit) => limit = oldLimit;

    /// <summary>Counts one more level of message nesting and fails past the recursion limit.</summary>
    public void EnterNested()
    {
        if (++depth > recursionLimit)
        {
            throw WireErrors.RecursionLimit(position, recursionLimit);
        }
    }

    public void LeaveNested() => depth--;

    /// <summary>Skips the value of a field whose tag was just read (used for unknown fields).</summary>
    public void SkipField(uint tag)
    {
        switch (WireFormat.WireTypeOf(tag))
        {
            case WireType.Varint:
                ReadVarint64();
                break;
            case WireType.Fixed64:
                ReadFixed64();
                break;
            case WireType.LengthDelimited:
                int length = ReadLength();
                position += length;
                break;
            case WireType.StartGroup:
                SkipGroup(WireFormat.FieldNumberOf(tag));
                break;
            case WireType.Fixed32:
                ReadFixed32();
                break;
            default:
                throw WireErrors.UnexpectedEndGroup(position, WireFormat.FieldNumberOf(tag));
        }
    }

    private void SkipGroup(int fieldNumber)
    {
        EnterNested();
        while (true)
        {
            if (AtLimit)
            {
                throw WireErrors.UnterminatedGroup(position, fieldNumber);
            }

            int start = position;
            uint tag = ReadTag();
            if (WireFormat.WireTypeOf(tag) == WireType.EndGroup)
            {
                int number = WireFormat.FieldNumberOf(tag);
                if (number != fieldNumber)
                {
                    throw WireErrors.EndGroupMismatch(start, number, fieldNumber);
                }

                LeaveNested();
                return;
            }

            SkipField(tag);
        }
    }

    /// <summary>The bytes of a fixed-width value, which must all be there before the limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> ReadFixed(int size)
    {
        if (limit - position < size)
        {
            throw WireErrors.Truncated(position, size, limit - position);
        }

        ReadOnlySpan<byte> bytes = buffer.Slice(position, size);
        position += size;
        return bytes;
    }

    private ulong ReadVarint64Slow()
    {
        ulong result = 0;
        int pos = position;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (pos >= limit)
            {
                throw WireErrors.TruncatedVarint(position);
            }

            byte b = buffer[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                position = pos;
                return result;
            }
        }

        throw WireErrors.VarintTooLong(position);
    }
}
