using System.Text;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Sizes and writes a single boxed scalar (singular fields, map keys and values). <see cref="Size"/> also checks
/// the value's .NET type, and the size pass always runs before the write pass, so <see cref="Write"/> can cast.
/// </summary>
internal static class BoxedScalars
{
    /// <summary>The encoded size of the value without its tag; throws when the value's type does not fit.</summary>
    public static int Size(FieldType type, object value)
    {
        switch (type)
        {
            case FieldType.Int32 or FieldType.Enum when value is int v:
                return WireFormat.Int32Size(v);
            case FieldType.SInt32 when value is int v:
                return WireFormat.VarintSize(WireFormat.ZigZag32(v));
            case FieldType.SFixed32 when value is int:
            case FieldType.Fixed32 when value is uint:
            case FieldType.Float when value is float:
                return 4;
            case FieldType.SFixed64 when value is long:
            case FieldType.Fixed64 when value is ulong:
            case FieldType.Double when value is double:
                return 8;
            case FieldType.Int64 when value is long v:
                return WireFormat.VarintSize((ulong)v);
            case FieldType.SInt64 when value is long v:
                return WireFormat.VarintSize(WireFormat.ZigZag64(v));
            case FieldType.UInt32 when value is uint v:
                return WireFormat.VarintSize(v);
            case FieldType.UInt64 when value is ulong v:
                return WireFormat.VarintSize(v);
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
            case FieldType.Int32 or FieldType.Enum:
                writer.WriteInt32((int)value);
                break;
            case FieldType.SInt32:
                writer.WriteVarint32(WireFormat.ZigZag32((int)value));
                break;
            case FieldType.SFixed32:
                writer.WriteFixed32((uint)(int)value);
                break;
            case FieldType.Fixed32:
                writer.WriteFixed32((uint)value);
                break;
            case FieldType.Float:
                writer.WriteFixed32((uint)BitConverter.SingleToInt32Bits((float)value));
                break;
            case FieldType.SFixed64:
                writer.WriteFixed64((ulong)(long)value);
                break;
            case FieldType.Fixed64:
                writer.WriteFixed64((ulong)value);
                break;
            case FieldType.Double:
                writer.WriteFixed64((ulong)BitConverter.DoubleToInt64Bits((double)value));
                break;
            case FieldType.Int64:
                writer.WriteVarint64((ulong)(long)value);
                break;
            case FieldType.SInt64:
                writer.WriteVarint64(WireFormat.ZigZag64((long)value));
                break;
            case FieldType.UInt32:
                writer.WriteVarint32((uint)value);
                break;
            case FieldType.UInt64:
                writer.WriteVarint64((ulong)value);
                break;
            case FieldType.Bool:
                writer.WriteVarint32((bool)value ? 1U : 0U);
                break;
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
