using System.Text;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>Reads one scalar value of a given field type, boxed the way <see cref="DynamicMessage"/> holds it.</summary>
internal static class ScalarReader
{
    // Throws on invalid UTF-8 instead of substituting U+FFFD: a string field must hold valid UTF-8.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a value of any non-message type; the caller has checked the wire type.</summary>
    public static object Read(ref WireReader reader, FieldType type) => type switch
    {
        FieldType.Int32 or FieldType.Enum => Boxes.Int32((int)reader.ReadVarint64()),
        FieldType.SInt32 => Boxes.Int32(WireFormat.UnZigZag32(reader.ReadVarint32())),
        FieldType.SFixed32 => Boxes.Int32((int)reader.ReadFixed32()),
        FieldType.Int64 => Boxes.Int64((long)reader.ReadVarint64()),
        FieldType.SInt64 => Boxes.Int64(WireFormat.UnZigZag64(reader.ReadVarint64())),
        FieldType.SFixed64 => Boxes.Int64((long)reader.ReadFixed64()),
        FieldType.UInt32 => Boxes.UInt32(reader.ReadVarint32()),
        FieldType.Fixed32 => Boxes.UInt32(reader.ReadFixed32()),
        FieldType.UInt64 => Boxes.UInt64(reader.ReadVarint64()),
        FieldType.Fixed64 => Boxes.UInt64(reader.ReadFixed64()),
        FieldType.Float => Boxes.Float(BitConverter.Int32BitsToSingle((int)reader.ReadFixed32())),
        FieldType.Double => Boxes.Double(BitConverter.Int64BitsToDouble((long)reader.ReadFixed64())),
        FieldType.Bool => Boxes.Bool(reader.ReadVarint64() != 0),
        FieldType.String => ReadString(ref reader),
        FieldType.Bytes => ReadBytes(ref reader),
        _ => throw new InvalidOperationException($"{type} is not a scalar type."),
    };

    public static string ReadString(ref WireReader reader)
    {
        int start = reader.Position;
        int length = reader.ReadLength();
        if (length == 0)
        {
            return string.Empty;
        }

        ReadOnlySpan<byte> bytes = reader.ReadSpan(length);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw WireErrors.InvalidUtf8(start);
        }
    }

    public static byte[] ReadBytes(ref WireReader reader)
    {
        int length = reader.ReadLength();
        return length == 0 ? Array.Empty<byte>() : reader.ReadSpan(length).ToArray();
    }
}
