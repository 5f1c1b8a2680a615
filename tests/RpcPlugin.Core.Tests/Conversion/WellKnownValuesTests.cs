using System;
using System.Collections;
using System.Collections.Specialized;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.TestPlugin.Protos;
using static RpcPlugin.Core.Tests.Conversion.ConversionTestKit;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>The natural .NET forms of the well-known types, both ways, by example (<see cref="WellKnownValues"/>).</summary>
public class WellKnownValuesTests
{
    [Fact]
    public void Timestamp_and_duration_become_datetimeoffset_and_timespan_cut_to_100_ns()
    {
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), ToClr(new Timestamp { Seconds = 1_735_689_599, Nanos = 999_999_999 }));
        Assert.Equal(DateTimeOffset.MinValue, ToClr(new Timestamp { Seconds = -62_135_596_800 }));
        Assert.Equal(TimeSpan.FromTicks(-15_000_001), ToClr(new Duration { Seconds = -1, Nanos = -500_000_199 }));
    }

    [Theory]
    [InlineData(253_402_300_800L, 0)]
    [InlineData(-62_135_596_801L, 0)]
    [InlineData(0L, -1)]
    [InlineData(0L, 1_000_000_000)]
    public void A_timestamp_outside_its_range_from_a_peer_is_a_codec_error_not_a_crash(long seconds, int nanos)
    {
        var error = Assert.Throws<ProtobufCodecException>(() => ToClr(new Timestamp { Seconds = seconds, Nanos = nanos }));

        Assert.Contains("Timestamp", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(315_576_000_001L, 0)]
    [InlineData(1L, -1)]
    [InlineData(long.MaxValue, 0)]
    public void A_duration_outside_its_range_from_a_peer_is_a_codec_error_not_a_wrong_value(long seconds, int nanos)
    {
        Assert.Throws<ProtobufCodecException>(() => ToClr(new Duration { Seconds = seconds, Nanos = nanos }));
    }

    [Fact]
    public void Struct_value_and_list_become_ordered_dictionaries_plain_values_and_arrays()
    {
        var structure = new Struct();
        structure.Fields["n"] = Value.ForNumber(1.5);
        structure.Fields["s"] = Value.ForString("x");
        structure.Fields["b"] = Value.ForBool(true);
        structure.Fields["z"] = Value.ForNull();
        structure.Fields["l"] = Value.ForList(Value.ForNumber(1), Value.ForString("two"));
        structure.Fields["o"] = Value.ForStruct(new Struct { Fields = { ["inner"] = Value.ForNumber(2) } });

        var clr = Assert.IsType<OrderedDictionary>(ToClr(structure));

        Assert.Equal(new object[] { "n", "s", "b", "z", "l", "o" }, new ArrayList(clr.Keys).ToArray());
        Assert.Equal(1.5, clr["n"]);
        Assert.Equal(true, clr["b"]);
        Assert.Null(clr["z"]);
        Assert.Equal(new object[] { 1.0, "two" }, (object[])clr["l"]!);
        Assert.Equal(2.0, ((OrderedDictionary)clr["o"]!)["inner"]);
    }

    [Fact]
    public void Wrappers_field_masks_and_empty_take_their_natural_values()
    {
        Assert.Equal(5, ToClr(new Int32Value { Value = 5 }));
        Assert.Equal(0UL, ToClr(new UInt64Value()));
        Assert.Equal(string.Empty, ToClr(new StringValue()));
        Assert.Equal(new[] { "a.b", "c" }, ToClr(new FieldMask { Paths = { "a.b", "c" } }));
        Assert.Null(ToClr(new Empty()));
    }

    [Fact]
    public void Requests_take_natural_values_for_well_known_fields()
    {
        AllTypes sent = Send(new Hashtable
        {
            ["w_int32"] = "7",
            ["w_bool"] = false,
            ["w_bytes"] = "AQ==",
            ["w_value"] = new object?[] { 1, "x", null, new Hashtable { ["k"] = true } },
            ["w_list_value"] = new object[] { 1.5 },
            ["w_empty"] = new Hashtable(),
        });

        Assert.Equal(7, sent.WInt32);
        Assert.False(sent.WBool);
        Assert.Equal(ByteString.CopyFrom(1), sent.WBytes);
        Assert.Equal(4, sent.WValue.ListValue.Values.Count);
        Assert.Equal(Value.KindOneofCase.NullValue, sent.WValue.ListValue.Values[2].KindCase);
        Assert.True(sent.WValue.ListValue.Values[3].StructValue.Fields["k"].BoolValue);
        Assert.Equal(1.5, sent.WListValue.Values[0].NumberValue);
        Assert.NotNull(sent.WEmpty);
    }

    [Fact]
    public void A_wrapper_given_null_is_unset_and_a_field_mask_takes_a_comma_list()
    {
        var request = new Hashtable { ["w_string"] = null, ["w_int64"] = 1 };
        AllTypes sent = Send(request);
        var mask = Builder.Build(FieldMask.Descriptor, "a.b, c");

        Assert.Null(sent.WString);
        Assert.Equal(new[] { "a.b", "c" }, FieldMask.Parser.ParseFrom(DynamicCodec.Encode(mask)).Paths);
    }

    [Fact]
    public void Empty_refuses_fields_and_any_refuses_an_unknown_type()
    {
        var empty = Refused(new Hashtable { ["w_empty"] = new Hashtable { ["x"] = 1 } });
        var any = Refused(new Hashtable { ["w_any"] = new Hashtable { ["@type"] = "type.googleapis.com/no.Such" } });

        Assert.Contains("google.protobuf.Empty", empty.Message, StringComparison.Ordinal);
        Assert.Contains("'type.googleapis.com/no.Such' is not known", any.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_any_of_a_known_type_unpacks_and_of_an_unknown_type_keeps_its_bytes()
    {
        var nested = new Nested { Name = "n" };
        DynamicMessage known = DynamicCodec.Decode(Any.Descriptor, Any.Pack(nested).ToByteArray());
        DynamicMessage unknown = DynamicCodec.Decode(Any.Descriptor, new Any { TypeUrl = "type.googleapis.com/no.Such", Value = ByteString.CopyFrom(9) }.ToByteArray());

        (string knownUrl, DynamicMessage? content, _) = WellKnownValues.Unpack(known, name => name.EndsWith("testplugin.Nested", StringComparison.Ordinal) ? Nested.Descriptor : null);
        (_, DynamicMessage? none, byte[] bytes) = WellKnownValues.Unpack(unknown, _ => null);

        Assert.Equal("type.googleapis.com/testplugin.Nested", knownUrl);
        Assert.Equal("n", content![Nested.Descriptor.FindFieldByName("name")]);
        Assert.Null(none);
        Assert.Equal(new byte[] { 9 }, bytes);
    }

    private static object? ToClr(IMessage message) =>
        WellKnownValues.ToClr(DynamicCodec.Decode(message.Descriptor, message.ToByteArray()));
}
