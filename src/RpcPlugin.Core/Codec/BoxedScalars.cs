using System.Text;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Sizes and writes a single boxed scalar (singular fields, map keys and values) with the kind's
/// <see cref="IWireScalar{T}"/> codec. <see cref="Size"/> also checks the value's .NET type, and the size pass always
/// runs before the write pass, so <see cref="Write"/> can cast.
/// </summary>
internal static class BoxedScalars
{
    /// <summary>The encoded size of the value without its tag; throws when the value's type does not fit.</summary>
    public static int Size(FieldType type, object value)
    {
        switch (type)
        {
            case FieldType.Int32 or FieldType.Enum when value is int v:
                return Int32Varint.Size(v);
            case FieldType.SInt32 when value is int v:
                return SInt32Varint.Size(v);
            case FieldType.SFixed32 when value is int:
            case FieldType.Fixed32 when value is uint:
            case FieldType.Float when value is float:
                return 4;
            case FieldType.SFixed64 when value is long:
            case FieldType.Fixed64 when value is ulong:
            case FieldType.Double when value is double:
                return 8;
            case FieldType.Int64 when value is long v:
                return Int64Varint.Size(v);
            case FieldType.SInt64 when value is long v:
                return SInt64Varint.Size(v);
            case FieldType.UInt32 when value is uint v:
                return UInt32Varint.Size(v);
            case FieldType.UInt64 when value is ulong v:
                return UInt64Varint.Size(v);
            case FieldType.Bool when value is bool:
                return 1;
            case FieldType.String when value is string s:
                int length = Utf8Text.ByteCount(s);
                return WireFormat.VarintSize((uint)length) + length;
            case FieldType.Bytes when value is byte[] b:
                return WireFormat.VarintSize((uint)b.Length) + b.Length;
            default:
                throw ValueErrors.WrongScalar(type, value);
        }
    }

    /// <summary>Writes the value without its tag; <see cref="Size"/> has checked its type.</summary>
    public static void Write(ref WireWriter writer, FieldType type, object value)
    {
        switch (type)
        {
            case FieldType.Int32 or FieldType.Enum: Int32Varint.Write(ref writer, (int)value); break;
            case FieldType.SInt32: SInt32Varint.Write(ref writer, (int)value); break;
            case FieldType.SFixed32: Fixed32Int.Write(ref writer, (int)value); break;
            case FieldType.Fixed32: Fixed32UInt.Write(ref writer, (uint)value); break;
            case FieldType.Float: Fixed32Float.Write(ref writer, (float)value); break;
            case FieldType.SFixed64: Fixed64Long.Write(ref writer, (long)value); break;
            case FieldType.Fixed64: Fixed64ULong.Write(ref writer, (ulong)value); break;
            case FieldType.Double: Fixed64Double.Write(ref writer, (double)value); break;
            case FieldType.Int64: Int64Varint.Write(ref writer, (long)value); break;
            case FieldType.SInt64: SInt64Varint.Write(ref writer, (long)value); break;
            case FieldType.UInt32: UInt32Varint.Write(ref writer, (uint)value); break;
            case FieldType.UInt64: UInt64Varint.Write(ref writer, (ulong)value); break;
            case FieldType.Bool: BoolVarint.Write(ref writer, (bool)value); break;
            case FieldType.String:
                string s = (string)value;
                writer.WriteString(s, Encoding.UTF8.GetByteCount(s));
                break;
            case FieldType.Bytes:
                byte[] b = (byte[])value;
                writer.WriteVarint32((uint)b.Length);
                writer.WriteBytes(b);
                break;
        }
    }

    /// <summary>
    /// Whether a value is its type's zero, which proto3 does not write for fields without presence. A float is
    /// zero only if all its bits are: -0.0 is written, as protobuf's C++ and Java implementations do.
    /// </summary>
    public static bool IsZero(FieldType type, object value) => type switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 or FieldType.Enum => value is 0,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => value is 0L,
        FieldType.UInt32 or FieldType.Fixed32 => value is 0U,
        FieldType.UInt64 or FieldType.Fixed64 => value is 0UL,
        FieldType.Float => value is float f && BitConverter.SingleToInt32Bits(f) == 0,
        FieldType.Double => value is double d && BitConverter.DoubleToInt64Bits(d) == 0,
        FieldType.Bool => value is false,
        FieldType.String => value is string { Length: 0 },
        FieldType.Bytes => value is byte[] { Length: 0 },
        _ => false,
    };
}
