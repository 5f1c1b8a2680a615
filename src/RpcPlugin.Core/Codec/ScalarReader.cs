using System.Text;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Reads one scalar value of a given field type, boxed the way <see cref="DynamicMessage"/> holds it. Numbers are
/// read by the kind's <see cref="IWireScalar{T}"/> codec, as repeated fields are.
/// </summary>
internal static class ScalarReader
{
    // Throws on invalid UTF-8 instead of substituting U+FFFD: a string field must hold valid UTF-8.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a value of any non-message type; the caller has checked the wire type.</summary>
    public static object Read(ref WireReader reader, FieldType type) => type switch
    {
        FieldType.Int32 or FieldType.Enum => Boxes.Int32(Int32Varint.Read(ref reader)),
        FieldType.SInt32 => Boxes.Int32(SInt32Varint.Read(ref reader)),
        FieldType.SFixed32 => Boxes.Int32(Fixed32Int.Read(ref reader)),
        FieldType.Int64 => Boxes.Int64(Int64Varint.Read(ref reader)),
        FieldType.SInt64 => Boxes.Int64(SInt64Varint.Read(ref reader)),
        FieldType.SFixed64 => Boxes.Int64(Fixed64Long.Read(ref reader)),
        FieldType.UInt32 => Boxes.UInt32(UInt32Varint.Read(ref reader)),
        FieldType.Fixed32 => Boxes.UInt32(Fixed32UInt.Read(ref reader)),
        FieldType.UInt64 => Boxes.UInt64(UInt64Varint.Read(ref reader)),
        FieldType.Fixed64 => Boxes.UInt64(Fixed64ULong.Read(ref reader)),
        FieldType.Float => Boxes.Float(Fixed32Float.Read(ref reader)),
        FieldType.Double => Boxes.Double(Fixed64Double.Read(ref reader)),
        FieldType.Bool => Boxes.Bool(BoolVarint.Read(ref reader)),
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
