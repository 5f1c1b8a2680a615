using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Writes the protobuf wire format into a span that the size pass made exactly large enough, so there is no
/// growth or flushing on the way.
/// </summary>
internal ref struct WireWriter
{
    private readonly Span<byte> buffer;
    private int position;

    public WireWriter(Span<byte> buffer)
    {
        this.buffer = buffer;
    }

    public readonly int Position => position;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarint32(uint value) => WriteVarint64(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarint64(ulong value)
    {
        if (value < 0x80)
        {
            buffer[position++] = (byte)value;
            return;
        }

        WriteVarint64Slow(value);
    }

    /// <summary>int32 and enum values are sign-extended, so a negative one takes ten bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt32(int value) => WriteVarint64((ulong)(long)value);

    public void WriteFixed32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteFixed64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.Slice(position));
        position += bytes.Length;
    }

    /// <summary>Writes a length-prefixed string whose UTF-8 length the caller already knows.</summary>
    public void WriteString(string value, int byteCount)
    {
        WriteVarint32((uint)byteCount);
        Encoding.UTF8.GetBytes(value, buffer.Slice(position, byteCount));
        position += byteCount;
    }

    /// <summary>A span for the caller to fill with <paramref name="length"/> bytes, e.g. a packed fixed-size list.</summary>
    public Span<byte> Reserve(int length)
    {
        Span<byte> span = buffer.Slice(position, length);
        position += length;
        return span;
    }

    private void WriteVarint64Slow(ulong value)
    {
        Span<byte> span = buffer;
        int pos = position;
        while (value >= 0x80)
        {
            span[pos++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[pos++] = (byte)value;
        position = pos;
    }
}
