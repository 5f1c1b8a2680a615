using System;
using System.IO;
using Google.Protobuf;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>Hand-made wire data for tests, written with Google.Protobuf's CodedOutputStream.</summary>
internal static class WireBytes
{
    public static byte[] Of(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }

    public static void Tag(this CodedOutputStream output, int fieldNumber, WireFormat.WireType wireType) =>
        output.WriteTag(fieldNumber, wireType);

    /// <summary>A length-delimited field whose content is itself written by <paramref name="content"/>.</summary>
    public static void Nested(this CodedOutputStream output, int fieldNumber, Action<CodedOutputStream> content)
    {
        byte[] bytes = Of(content);
        output.WriteTag(fieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(bytes));
    }

    /// <summary>Writes already-encoded fields (no groups) again; CodedOutputStream has no public raw write.</summary>
    public static void WriteEncoded(this CodedOutputStream output, byte[] encodedFields)
    {
        var input = new CodedInputStream(encodedFields);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            output.WriteTag(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.Varint:
                    output.WriteUInt64(input.ReadUInt64());
                    break;
                case WireFormat.WireType.Fixed32:
                    output.WriteFixed32(input.ReadFixed32());
                    break;
                case WireFormat.WireType.Fixed64:
                    output.WriteFixed64(input.ReadFixed64());
                    break;
                case WireFormat.WireType.LengthDelimited:
                    output.WriteBytes(input.ReadBytes());
                    break;
                default:
                    throw new NotSupportedException("Groups are not re-written by this helper.");
            }
        }
    }

    public static byte[] Concat(params byte[][] parts)
    {
        using var stream = new MemoryStream();
        foreach (byte[] part in parts)
        {
            stream.Write(part);
        }

        return stream.ToArray();
    }
}
