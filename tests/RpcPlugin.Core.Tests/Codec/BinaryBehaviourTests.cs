using System;
using System.Buffers;
using System.Collections.Generic;
using System.Collections.Specialized;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec.Proto3;
using RpcPlugin.TestPlugin.Protos;
using WireFormat = Google.Protobuf.WireFormat;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>proto3 presence, oneofs, maps, merging and the API's overloads.</summary>
public class BinaryBehaviourTests
{
    private static readonly MessageDescriptor All = AllTypes.Descriptor;

    private static FieldDescriptor Field(int number) => All.FindFieldByNumber(number);

    [Fact]
    public void Proto3_zero_values_without_presence_are_not_written()
    {
        var message = new DynamicMessage(All);
        message[Field(AllTypes.FInt32FieldNumber)] = 0;
        message[Field(AllTypes.FStringFieldNumber)] = string.Empty;
        message[Field(AllTypes.FBytesFieldNumber)] = Array.Empty<byte>();
        message[Field(AllTypes.FDoubleFieldNumber)] = 0.0;
        message[Field(AllTypes.FEnumFieldNumber)] = 0;
        message.GetList<int>(Field(AllTypes.RInt32FieldNumber));

        Assert.Empty(DynamicCodec.Encode(message));
        Assert.Equal(0, DynamicCodec.CalculateSize(message));
    }

    [Fact]
    public void Proto3_optional_and_message_fields_are_written_when_set_even_to_zero_or_empty()
    {
        var message = new DynamicMessage(All);
        message[Field(AllTypes.OptInt32FieldNumber)] = 0;
        message[Field(AllTypes.FNestedFieldNumber)] = new DynamicMessage(Nested.Descriptor);

        AllTypes parsed = AllTypes.Parser.ParseFrom(DynamicCodec.Encode(message));

        Assert.True(parsed.HasOptInt32);
        Assert.NotNull(parsed.FNested);
    }

    [Fact]
    public void Negative_zero_is_written_for_a_proto3_double_as_protobuf_cpp_and_java_do()
    {
        var message = new DynamicMessage(All);
        message[Field(AllTypes.FDoubleFieldNumber)] = -0.0;

        DynamicMessage decoded = DynamicCodec.Decode(All, DynamicCodec.Encode(message));

        Assert.True(double.IsNegative((double)decoded[Field(AllTypes.FDoubleFieldNumber)]!));
    }

    [Fact]
    public void Setting_a_oneof_member_clears_the_others_and_the_last_member_on_the_wire_wins()
    {
        byte[] bytes = WireBytes.Of(o =>
        {
            o.WriteTag(AllTypes.OStringFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteString("first");
            o.WriteTag(AllTypes.OInt32FieldNumber, WireFormat.WireType.Varint);
            o.WriteInt32(5);
        });

        DynamicMessage decoded = DynamicCodec.Decode(All, bytes);

        Assert.Null(decoded[Field(AllTypes.OStringFieldNumber)]);
        Assert.Equal(5, decoded[Field(AllTypes.OInt32FieldNumber)]);
        Assert.Equal(AllTypes.OInt32FieldNumber, decoded.WhichOneof(All.Oneofs[0])!.FieldNumber);
    }

    [Fact]
    public void A_message_field_that_occurs_twice_is_merged()
    {
        byte[] bytes = WireBytes.Of(o =>
        {
            o.WriteTag(AllTypes.FNestedFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteMessage(new Nested { Name = "n" });
            o.WriteTag(AllTypes.FNestedFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteMessage(new Nested { Value = 3 });
        });

        DynamicMessage decoded = DynamicCodec.Decode(All, bytes);

        Assert.Equal(AllTypes.Parser.ParseFrom(bytes), GeneratedBridge.ToGenerated<AllTypes>(decoded));
        var nested = (DynamicMessage)decoded[Field(AllTypes.FNestedFieldNumber)]!;
        Assert.Equal("n", nested[Nested.Descriptor.FindFieldByNumber(1)]);
        Assert.Equal(3, nested[Nested.Descriptor.FindFieldByNumber(2)]);
    }

    [Fact]
    public void Map_entries_take_defaults_for_a_missing_key_or_value_and_a_repeated_key_keeps_its_first_position()
    {
        byte[] bytes = WireBytes.Of(o =>
        {
            o.Nested(AllTypes.MNestedFieldNumber, e => { e.WriteTag(1, WireFormat.WireType.Varint); e.WriteInt32(5); });
            o.Nested(AllTypes.MNestedFieldNumber, e => e.Nested(2, v => { v.WriteTag(1, WireFormat.WireType.LengthDelimited); v.WriteString("keyless"); }));
            o.Nested(AllTypes.MNestedFieldNumber, e =>
            {
                e.WriteTag(1, WireFormat.WireType.Varint);
                e.WriteInt32(5);
                e.Nested(2, v => { v.WriteTag(2, WireFormat.WireType.Varint); v.WriteInt32(9); });
                e.WriteTag(3, WireFormat.WireType.Varint);
                e.WriteInt32(77);
            });
            o.Nested(AllTypes.MStringFieldNumber, e => { e.WriteTag(2, WireFormat.WireType.LengthDelimited); e.WriteString("v"); });
        });

        DynamicMessage decoded = DynamicCodec.Decode(All, bytes);
        OrderedDictionary nested = decoded.GetMap(Field(AllTypes.MNestedFieldNumber));
        OrderedDictionary strings = decoded.GetMap(Field(AllTypes.MStringFieldNumber));

        Assert.Equal(new object[] { 5, 0 }, new List<object>(KeysOf(nested)));
        Assert.Equal(9, ((DynamicMessage)nested[(object)5]!)[Nested.Descriptor.FindFieldByNumber(2)]);
        Assert.Equal("keyless", ((DynamicMessage)nested[(object)0]!)[Nested.Descriptor.FindFieldByNumber(1)]);
        Assert.Equal("v", strings[string.Empty]);
        Assert.Equal(AllTypes.Parser.ParseFrom(bytes), GeneratedBridge.ToGenerated<AllTypes>(decoded));
    }

    [Fact]
    public void Maps_are_written_in_insertion_order()
    {
        var message = new DynamicMessage(All);
        OrderedDictionary map = message.GetMap(Field(AllTypes.MInt64FieldNumber));
        map["z"] = 1L;
        map["a"] = 2L;

        AllTypes parsed = AllTypes.Parser.ParseFrom(DynamicCodec.Encode(message));

        Assert.Equal(new[] { "z", "a" }, parsed.MInt64.Keys);
    }

    [Fact]
    public void Messages_from_another_descriptor_instance_of_the_same_type_encode_by_their_own_descriptor()
    {
        FileDescriptor copy = FileDescriptor.BuildFromByteStrings(new[]
        {
            Google.Protobuf.WellKnownTypes.AnyReflection.Descriptor.SerializedData,
            Google.Protobuf.WellKnownTypes.DurationReflection.Descriptor.SerializedData,
            Google.Protobuf.WellKnownTypes.EmptyReflection.Descriptor.SerializedData,
            Google.Protobuf.WellKnownTypes.StructReflection.Descriptor.SerializedData,
            Google.Protobuf.WellKnownTypes.TimestampReflection.Descriptor.SerializedData,
            Google.Protobuf.WellKnownTypes.WrappersReflection.Descriptor.SerializedData,
            TestpluginReflection.Descriptor.SerializedData,
        })[^1];
        MessageDescriptor otherNested = copy.FindTypeByName<MessageDescriptor>("Nested");
        var child = new DynamicMessage(otherNested);
        child[otherNested.FindFieldByNumber(1)] = "other pool";
        var message = new DynamicMessage(All);
        message[Field(AllTypes.FNestedFieldNumber)] = child;

        Assert.Equal("other pool", AllTypes.Parser.ParseFrom(DynamicCodec.Encode(message)).FNested.Name);
    }

    [Fact]
    public void Buffer_writer_and_segmented_sequence_overloads_match_the_array_forms()
    {
        DynamicMessage message = GeneratedBridge.ToDynamic(OracleMessages.FullAllTypes());
        byte[] expected = DynamicCodec.Encode(message);
        var output = new ArrayBufferWriter<byte>(1);

        DynamicCodec.Encode(message, output);
        DynamicMessage fromSegments = DynamicCodec.Decode(All, Segmented(expected, 7));

        Assert.Equal(expected, output.WrittenSpan.ToArray());
        DynamicComparer.AssertEqual(message, fromSegments);
    }

    [Fact]
    public void Unknown_fields_set_by_hand_are_written_after_the_known_ones()
    {
        var message = new DynamicMessage(Nested.Descriptor);
        message[Nested.Descriptor.FindFieldByNumber(2)] = 1;
        message.UnknownFields = new byte[] { 0xF8, 0x06, 0x01 };

        Assert.Equal(new byte[] { 0x10, 0x01, 0xF8, 0x06, 0x01 }, DynamicCodec.Encode(message));
    }

    [Fact]
    public void Sparse_and_maximal_field_numbers_round_trip()
    {
        var expected = new Sparse { High = "top", Low = 1, Mid = -2, Blob = ByteString.CopyFrom(3), Shade = Shade.Dark };
        expected.Again.Add(new Sparse { High = "again" });

        DynamicMessage decoded = DynamicCodec.Decode(Sparse.Descriptor, expected.ToByteArray());

        Assert.Equal(expected.ToByteArray(), DynamicCodec.Encode(decoded));
        Assert.Equal("top", decoded[Sparse.Descriptor.FindFieldByNumber(536870911)]);
    }

    private static IEnumerable<object> KeysOf(OrderedDictionary map)
    {
        foreach (object key in map.Keys)
        {
            yield return key;
        }
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentSize)
    {
        var first = new Segment(bytes.AsMemory(0, Math.Min(segmentSize, bytes.Length)), 0);
        Segment last = first;
        for (int offset = segmentSize; offset < bytes.Length; offset += segmentSize)
        {
            last = last.Append(bytes.AsMemory(offset, Math.Min(segmentSize, bytes.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
