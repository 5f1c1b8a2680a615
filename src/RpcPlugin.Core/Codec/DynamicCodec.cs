using System.Buffers;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Encodes and decodes <see cref="DynamicMessage"/>s in the protobuf binary format, driven by their descriptors
/// (no generated code). Unknown fields are kept and written back; malformed input raises
/// <see cref="ProtobufCodecException"/> naming the field path and byte offset.
/// </summary>
public static class DynamicCodec
{
    /// <summary>How deeply messages may nest (as Google.Protobuf's default).</summary>
    public const int DefaultRecursionLimit = 100;

    /// <summary>Decodes a message of the given type.</summary>
    /// <exception cref="ProtobufCodecException">The data is not a valid encoding of the type.</exception>
    public static DynamicMessage Decode(MessageDescriptor descriptor, ReadOnlySpan<byte> data) =>
        Decode(descriptor, data, DefaultRecursionLimit);

    /// <summary>Decodes a message of the given type, allowing messages nested <paramref name="recursionLimit"/> deep.</summary>
    /// <exception cref="ProtobufCodecException">The data is not a valid encoding of the type.</exception>
    public static DynamicMessage Decode(MessageDescriptor descriptor, ReadOnlySpan<byte> data, int recursionLimit)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentOutOfRangeException.ThrowIfNegative(recursionLimit);
        FieldTable table = FieldTable.For(descriptor);
        DynamicMessage message = table.NewMessage();
        var reader = new WireReader(data, recursionLimit);
        MessageDecoder.Merge(ref reader, message, table, 0);
        return message;
    }

    /// <summary>Decodes a message from a possibly segmented buffer, e.g. a gRPC deserialization context's payload.</summary>
    /// <exception cref="ProtobufCodecException">The data is not a valid encoding of the type.</exception>
    public static DynamicMessage Decode(MessageDescriptor descriptor, ReadOnlySequence<byte> data, int recursionLimit = DefaultRecursionLimit)
    {
        if (data.IsSingleSegment)
        {
            return Decode(descriptor, data.FirstSpan, recursionLimit);
        }

        // Values are copied out of the buffer while decoding, so a pooled contiguous copy can be returned after.
        int length = checked((int)data.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            data.CopyTo(rented);
            return Decode(descriptor, rented.AsSpan(0, length), recursionLimit);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Encodes a message.</summary>
    /// <exception cref="ProtobufCodecException">A value does not fit its field, or messages nest too deeply (a cycle).</exception>
    public static byte[] Encode(DynamicMessage message) => Encode(message, DefaultRecursionLimit);

    /// <summary>Encodes a message, allowing messages nested <paramref name="recursionLimit"/> deep.</summary>
    /// <exception cref="ProtobufCodecException">A value does not fit its field, or messages nest too deeply (a cycle).</exception>
    public static byte[] Encode(DynamicMessage message, int recursionLimit)
    {
        ArgumentNullException.ThrowIfNull(message);
        FieldTable table = FieldTable.For(message.Descriptor);
        int size = SizeCalculator.Compute(message, table, 0, recursionLimit);
        if (size == 0)
        {
            return Array.Empty<byte>();
        }

        byte[] bytes = new byte[size];
        WriteSized(message, table, bytes);
        return bytes;
    }

    /// <summary>Encodes a message into a buffer writer, in one contiguous span of its exact size.</summary>
    /// <exception cref="ProtobufCodecException">A value does not fit its field, or messages nest too deeply (a cycle).</exception>
    public static void Encode(DynamicMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        FieldTable table = FieldTable.For(message.Descriptor);
        int size = SizeCalculator.Compute(message, table, 0, DefaultRecursionLimit);
        if (size == 0)
        {
            return;
        }

        WriteSized(message, table, output.GetSpan(size)[..size]);
        output.Advance(size);
    }

    /// <summary>The size of the message's encoding, in bytes.</summary>
    /// <exception cref="ProtobufCodecException">A value does not fit its field, or messages nest too deeply (a cycle).</exception>
    public static int CalculateSize(DynamicMessage message) => CalculateSize(message, DefaultRecursionLimit);

    /// <summary>The size of the message's encoding, allowing messages nested <paramref name="recursionLimit"/> deep.</summary>
    /// <exception cref="ProtobufCodecException">A value does not fit its field, or messages nest too deeply (a cycle).</exception>
    public static int CalculateSize(DynamicMessage message, int recursionLimit)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SizeCalculator.Compute(message, FieldTable.For(message.Descriptor), 0, recursionLimit);
    }

    /// <summary>Writes a message whose sizes the size pass just cached.</summary>
    private static void WriteSized(DynamicMessage message, FieldTable table, Span<byte> destination)
    {
        var writer = new WireWriter(destination);
        MessageEncoder.Write(ref writer, message, table);
    }
}
