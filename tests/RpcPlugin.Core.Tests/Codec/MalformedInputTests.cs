using System;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec.Proto2;
using RpcPlugin.TestPlugin.Protos;
using WireFormat = Google.Protobuf.WireFormat;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>Each kind of malformed binary input fails with a ProtobufCodecException that says what and where.</summary>
public class MalformedInputTests
{
    private static ProtobufCodecException DecodeFails(MessageDescriptor type, byte[] bytes) =>
        Assert.Throws<ProtobufCodecException>(() => DynamicCodec.Decode(type, bytes));

    [Fact]
    public void Truncated_varint()
    {
        var error = DecodeFails(AllTypes.Descriptor, new byte[] { 0x08, 0x80, 0x80 });

        Assert.Equal("f_int32", error.FieldPath);
        Assert.Equal(1, error.Offset);
        Assert.Contains("ends inside a varint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Varint_longer_than_ten_bytes()
    {
        byte[] bytes = new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 };

        var error = DecodeFails(AllTypes.Descriptor, bytes);

        Assert.Equal("f_int64", error.FieldPath);
        Assert.Contains("longer than 10 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public void Invalid_wire_types(int wireType)
    {
        var error = DecodeFails(AllTypes.Descriptor, new byte[] { 0x08, 0x01, (byte)((2 << 3) | wireType), 0x00 });

        Assert.Equal(2, error.Offset);
        Assert.Contains($"invalid wire type {wireType}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_number_zero()
    {
        Assert.Contains("field number 0", DecodeFails(AllTypes.Descriptor, new byte[] { 0x00, 0x01 }).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AllTypes.FStringFieldNumber, WireFormat.WireType.Varint, "string field cannot have wire type 0")]
    [InlineData(AllTypes.FInt32FieldNumber, WireFormat.WireType.Fixed64, "int32 field cannot have wire type 1")]
    [InlineData(AllTypes.FNestedFieldNumber, WireFormat.WireType.Fixed32, "message field cannot have wire type 5")]
    [InlineData(AllTypes.RStringFieldNumber, WireFormat.WireType.Varint, "string field cannot have wire type 0")]
    [InlineData(AllTypes.MStringFieldNumber, WireFormat.WireType.Varint, "map field cannot have wire type 0")]
    [InlineData(AllTypes.FDoubleFieldNumber, WireFormat.WireType.LengthDelimited, "double field cannot have wire type 2")]
    public void Known_field_with_a_wire_type_its_type_cannot_have(int fieldNumber, WireFormat.WireType wireType, string expected)
    {
        byte[] bytes = WireBytes.Of(o =>
        {
            o.WriteTag(fieldNumber, wireType);
            o.WriteBytes(ByteString.CopyFrom(0, 0, 0, 0, 0, 0, 0, 0));
        });

        var error = DecodeFails(AllTypes.Descriptor, bytes);

        Assert.StartsWith(AllTypes.Descriptor.FindFieldByNumber(fieldNumber).Name, error.FieldPath, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Length_past_the_end_of_the_data()
    {
        var error = DecodeFails(AllTypes.Descriptor, new byte[] { 0x72, 0x64, (byte)'a', (byte)'b' });

        Assert.Equal("f_string", error.FieldPath);
        Assert.Contains("length of 100 runs past the end of the data (2 bytes left)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Length_past_the_end_of_the_enclosing_message()
    {
        byte[] bytes = { 0x8A, 0x01, 0x03, 0x0A, 0x05, (byte)'a', (byte)'b', (byte)'c', (byte)'d', (byte)'e' };

        var error = DecodeFails(AllTypes.Descriptor, bytes);

        Assert.Equal("f_nested.name", error.FieldPath);
        Assert.Contains("past the end of the enclosing message", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_claimed_length_fails_without_allocating_for_it()
    {
        byte[] bytes = { 0x7A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00 };
        DecodeFails(AllTypes.Descriptor, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        DecodeFails(AllTypes.Descriptor, bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Packed_fixed_width_block_whose_length_is_not_a_multiple_of_the_width()
    {
        byte[] bytes = { 0xC2, 0x01, 0x05, 0, 0, 0, 0, 0 };

        var error = DecodeFails(AllTypes.Descriptor, bytes);

        Assert.Equal("r_double[0]", error.FieldPath);
        Assert.Contains("not a multiple of 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void End_group_that_closes_another_fields_group()
    {
        byte[] bytes = RequiredScalars(o =>
        {
            o.WriteTag(70, WireFormat.WireType.StartGroup);
            o.WriteTag(74, WireFormat.WireType.EndGroup);
        });

        var error = DecodeFails(Scalars.Descriptor, bytes);

        Assert.Equal("result", error.FieldPath);
        Assert.Contains("field number 74 closes the group of field number 70", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void End_group_without_a_start_group()
    {
        var error = DecodeFails(AllTypes.Descriptor, new byte[] { 0x08, 0x01, 0x0C });

        Assert.Contains("no matching start-group", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Offset);
    }

    [Fact]
    public void Group_without_an_end_group_tag()
    {
        byte[] bytes = RequiredScalars(o =>
        {
            o.WriteTag(70, WireFormat.WireType.StartGroup);
            o.WriteTag(71, WireFormat.WireType.LengthDelimited);
            o.WriteString("u");
        });

        var error = DecodeFails(Scalars.Descriptor, bytes);

        Assert.Contains("no end-group tag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_group_with_a_mismatched_end_group()
    {
        byte[] bytes = { 0xA3, 0x06, 0x08, 0x01, 0xAC, 0x06 };

        var error = DecodeFails(AllTypes.Descriptor, bytes);

        Assert.Contains("field number 101 closes the group of field number 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_field_names_the_full_path()
    {
        var outer = new AllTypes();
        outer.RNested.Add(new Nested());
        outer.RNested.Add(new Nested());
        outer.RNested.Add(new Nested { Child = new Nested { Name = "XX" } });
        byte[] bytes = outer.ToByteArray();
        int at = bytes.AsSpan().IndexOf("XX"u8);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;

        var error = DecodeFails(AllTypes.Descriptor, bytes);

        Assert.Equal("r_nested[2].child.name", error.FieldPath);
        Assert.Equal(at - 1, error.Offset);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Field 'r_nested[2].child.name': ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_a_map_value_names_the_key()
    {
        byte[] bytes = WireBytes.Of(o => o.Nested(AllTypes.MStringFieldNumber, e =>
        {
            e.WriteTag(1, WireFormat.WireType.LengthDelimited);
            e.WriteString("key");
            e.WriteTag(2, WireFormat.WireType.LengthDelimited);
            e.WriteBytes(ByteString.CopyFrom(0xFF));
        }));

        Assert.Equal("m_string[key]", DecodeFails(AllTypes.Descriptor, bytes).FieldPath);
    }

    [Fact]
    public void Nesting_deeper_than_the_recursion_limit()
    {
        // As Google.Protobuf: the limit counts levels below the outermost message.
        byte[] deep = OracleMessages.Chain("n", 102).ToByteArray();
        byte[] fits = OracleMessages.Chain("n", 101).ToByteArray();

        var error = DecodeFails(Nested.Descriptor, deep);
        DynamicCodec.Decode(Nested.Descriptor, fits);
        Nested.Parser.ParseFrom(fits);
        Assert.Throws<InvalidProtocolBufferException>(() => Nested.Parser.ParseFrom(deep));

        Assert.Contains("recursion limit of 100", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("child.child.child", error.FieldPath, StringComparison.Ordinal);
        Assert.Throws<ProtobufCodecException>(() => DynamicCodec.Decode(Nested.Descriptor, fits, recursionLimit: 10));
    }

    [Fact]
    public void Unknown_groups_nested_deeper_than_the_recursion_limit()
    {
        // 150 start-group tags of unknown field 100, then their 150 end-group tags.
        var bytes = new byte[4 * 150];
        for (int i = 0; i < 150; i++)
        {
            bytes[2 * i] = 0xA3;
            bytes[(2 * i) + 1] = 0x06;
            bytes[300 + (2 * i)] = 0xA4;
            bytes[300 + (2 * i) + 1] = 0x06;
        }

        Assert.Contains("recursion limit", DecodeFails(AllTypes.Descriptor, bytes).Message, StringComparison.Ordinal);
    }

    private static byte[] RequiredScalars(Action<CodedOutputStream> more) =>
        WireBytes.Concat(new Scalars { ReqInt32 = 1, ReqString = "s", ReqChild = new Child() }.ToByteArray(), WireBytes.Of(more));
}
