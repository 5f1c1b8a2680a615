using System;
using System.Collections.Generic;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec.Proto2;
using WireFormat = Google.Protobuf.WireFormat;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>proto2 presence, groups, packing and extension ranges.</summary>
public class Proto2Tests
{
    private static FieldDescriptor Field(MessageDescriptor type, string name) => type.FindFieldByName(name);

    [Fact]
    public void Optional_field_set_to_its_default_value_is_still_written()
    {
        var message = new DynamicMessage(Defaults.Descriptor);
        message[Field(Defaults.Descriptor, "d_int32")] = -42;
        message[Field(Defaults.Descriptor, "d_string")] = FieldDefaults.For(Field(Defaults.Descriptor, "d_string"));

        Defaults parsed = Defaults.Parser.ParseFrom(DynamicCodec.Encode(message));

        Assert.True(parsed.HasDInt32);
        Assert.True(parsed.HasDString);
        Assert.False(parsed.HasDBool);
    }

    [Fact]
    public void Unset_optional_fields_are_not_written()
    {
        Assert.Empty(DynamicCodec.Encode(new DynamicMessage(Defaults.Descriptor)));
    }

    [Fact]
    public void Required_fields_at_zero_are_written_and_read_back_as_present()
    {
        var message = new DynamicMessage(Scalars.Descriptor);
        message[Field(Scalars.Descriptor, "req_int32")] = 0;
        message[Field(Scalars.Descriptor, "req_string")] = string.Empty;
        message[Field(Scalars.Descriptor, "req_child")] = new DynamicMessage(Child.Descriptor);

        byte[] bytes = DynamicCodec.Encode(message);
        DynamicMessage decoded = DynamicCodec.Decode(Scalars.Descriptor, bytes);

        Assert.True(Scalars.Parser.ParseFrom(bytes).HasReqInt32);
        Assert.Equal(0, decoded[Field(Scalars.Descriptor, "req_int32")]);
        Assert.Equal(string.Empty, decoded[Field(Scalars.Descriptor, "req_string")]);
    }

    [Fact]
    public void Groups_decode_into_messages_and_encode_as_start_and_end_group_tags()
    {
        var expected = new Scalars { ReqInt32 = 1, ReqString = "s", ReqChild = new Child() };
        expected.Result = new Scalars.Types.Result { Url = "u", Rank = 9 };
        expected.Item.Add(new Scalars.Types.Item { Id = 5, Tags = { "t" } });

        DynamicMessage decoded = DynamicCodec.Decode(Scalars.Descriptor, expected.ToByteArray());
        var result = Assert.IsType<DynamicMessage>(decoded[Field(Scalars.Descriptor, "result")]);
        var items = Assert.IsType<List<DynamicMessage>>(decoded[Field(Scalars.Descriptor, "item")]);
        byte[] encoded = DynamicCodec.Encode(decoded);

        Assert.Equal("u", result[result.Descriptor.FindFieldByName("url")]);
        Assert.Equal(5, items[0][items[0].Descriptor.FindFieldByName("id")]);
        Assert.Equal(FieldType.Group, Field(Scalars.Descriptor, "result").FieldType);
        // Field 70: start group 70 << 3 | 3 = 563, end group 564, as varints.
        Assert.True(encoded.AsSpan().IndexOf(new byte[] { 0xB3, 0x04 }) >= 0);
        Assert.True(encoded.AsSpan().IndexOf(new byte[] { 0xB4, 0x04 }) >= 0);
        Assert.Equal(expected, Scalars.Parser.ParseFrom(encoded));
    }

    [Fact]
    public void Declared_unpacked_repeated_fields_are_written_unpacked_and_packed_ones_packed()
    {
        var message = new DynamicMessage(Scalars.Descriptor);
        message.GetList<int>(Field(Scalars.Descriptor, "l_int32")).AddRange(new[] { 1, 2 });
        message.GetList<int>(Field(Scalars.Descriptor, "p_int32")).AddRange(new[] { 1, 2 });

        byte[] bytes = DynamicCodec.Encode(message);

        byte[] expected = WireBytes.Of(o =>
        {
            o.WriteTag(30, WireFormat.WireType.Varint);
            o.WriteInt32(1);
            o.WriteTag(30, WireFormat.WireType.Varint);
            o.WriteInt32(2);
            o.WriteTag(50, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(1, 2));
        });
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Packed_and_unpacked_encodings_are_both_accepted_whatever_the_declaration()
    {
        byte[] bytes = WireBytes.Of(o =>
        {
            o.WriteTag(30, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(1, 2));
            o.WriteTag(30, WireFormat.WireType.Varint);
            o.WriteInt32(3);
            o.WriteTag(60, WireFormat.WireType.Fixed32);
            o.WriteFloat(1.5f);
            o.WriteTag(60, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(BitConverter.GetBytes(2.5f)));
        });

        DynamicMessage decoded = DynamicCodec.Decode(Scalars.Descriptor, bytes);

        Assert.Equal(new[] { 1, 2, 3 }, decoded.GetList<int>(Field(Scalars.Descriptor, "l_int32")));
        Assert.Equal(new[] { 1.5f, 2.5f }, decoded.GetList<float>(Field(Scalars.Descriptor, "p_float")));
    }

    [Fact]
    public void Fields_in_extension_ranges_are_kept_as_unknown_fields_and_written_back()
    {
        var known = new Extendable { Id = 7, Label = "x" };
        byte[] extensions = WireBytes.Of(o =>
        {
            o.WriteTag(150, WireFormat.WireType.Varint);
            o.WriteInt64(-1);
            o.WriteTag(1000, WireFormat.WireType.LengthDelimited);
            o.WriteString("ext");
            o.WriteTag(1001, WireFormat.WireType.StartGroup);
            o.WriteTag(1, WireFormat.WireType.Fixed32);
            o.WriteFixed32(5);
            o.WriteTag(1001, WireFormat.WireType.EndGroup);
            o.WriteTag(536870911, WireFormat.WireType.Fixed64);
            o.WriteFixed64(9);
        });
        byte[] bytes = WireBytes.Concat(known.ToByteArray(), extensions);

        DynamicMessage decoded = DynamicCodec.Decode(Extendable.Descriptor, bytes);

        Assert.Equal(extensions, decoded.UnknownFields);
        Assert.Equal(bytes, DynamicCodec.Encode(decoded));
        Assert.Equal(Extendable.Parser.ParseFrom(bytes), Extendable.Parser.ParseFrom(DynamicCodec.Encode(decoded)));
    }

    [Fact]
    public void Unknown_fields_of_nested_messages_and_groups_survive_a_round_trip()
    {
        byte[] unknown = WireBytes.Of(o =>
        {
            o.WriteTag(99, WireFormat.WireType.Varint);
            o.WriteInt32(1);
        });
        byte[] bytes = WireBytes.Of(o =>
        {
            o.Nested(17, c => c.WriteEncoded(unknown));
            o.WriteTag(70, WireFormat.WireType.StartGroup);
            o.WriteEncoded(unknown);
            o.WriteTag(70, WireFormat.WireType.EndGroup);
        });

        DynamicMessage decoded = DynamicCodec.Decode(Scalars.Descriptor, bytes);

        Assert.Equal(unknown, ((DynamicMessage)decoded[Field(Scalars.Descriptor, "o_child")]!).UnknownFields);
        Assert.Equal(unknown, ((DynamicMessage)decoded[Field(Scalars.Descriptor, "result")]!).UnknownFields);
        Assert.Equal(bytes, DynamicCodec.Encode(decoded));
    }
}
