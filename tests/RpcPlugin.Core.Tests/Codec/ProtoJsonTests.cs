using System;
using System.Collections.Generic;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec.Proto3;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>The proto3 JSON rules one at a time, checked through the generated types.</summary>
public class ProtoJsonTests
{
    private static AllTypes ParseAll(string json) =>
        GeneratedBridge.ToGenerated<AllTypes>(ProtoJson.Parse(AllTypes.Descriptor, json, OracleMessages.Resolve));

    private static string FormatAll(AllTypes message) =>
        ProtoJson.Format(DynamicCodec.Decode(AllTypes.Descriptor, message.ToByteArray()), new ProtoJsonFormatOptions { TypeResolver = OracleMessages.Resolve });

    private static ProtobufCodecException ParseFails(string json, MessageDescriptor? type = null) =>
        Assert.Throws<ProtobufCodecException>(() => ProtoJson.Parse(type ?? AllTypes.Descriptor, json, OracleMessages.Resolve));

    [Fact]
    public void Output_uses_json_names_and_64_bit_integers_as_strings()
    {
        string json = FormatAll(new AllTypes { FInt64 = long.MinValue, FUint64 = ulong.MaxValue, FInt32 = -1, FUint32 = uint.MaxValue });

        Assert.Equal("{\"fInt32\":-1,\"fInt64\":\"-9223372036854775808\",\"fUint32\":4294967295,\"fUint64\":\"18446744073709551615\"}", json);
    }

    [Fact]
    public void Input_accepts_json_names_and_proto_names()
    {
        Assert.Equal(new AllTypes { FInt32 = 1, FSint64 = 2 }, ParseAll("{\"fInt32\": 1, \"f_sint64\": 2}"));
    }

    [Theory]
    [InlineData("\"123\"", 123)]
    [InlineData("123", 123)]
    [InlineData("1e2", 100)]
    [InlineData("\"1e2\"", 100)]
    [InlineData("-5.0", -5)]
    [InlineData("\"-2147483648\"", int.MinValue)]
    public void Integers_are_accepted_as_numbers_or_strings(string value, int expected)
    {
        Assert.Equal(expected, ParseAll($"{{\"fInt32\": {value}}}").FInt32);
    }

    [Fact]
    public void Int64_beyond_double_precision_is_read_exactly_from_a_number()
    {
        Assert.Equal(9007199254740993L, ParseAll("{\"fInt64\": 9007199254740993}").FInt64);
        Assert.Equal(ulong.MaxValue, ParseAll("{\"fUint64\": 18446744073709551615}").FUint64);
    }

    [Theory]
    [InlineData("{\"fInt32\": 1.5}", "fInt32", "whole number")]
    [InlineData("{\"fInt32\": 2147483648}", "fInt32", "out of range for int32")]
    [InlineData("{\"fUint32\": -1}", "fUint32", "out of range for uint32")]
    [InlineData("{\"fInt64\": true}", "fInt64", "integer (number or string)")]
    [InlineData("{\"fBool\": \"true\"}", "fBool", "true or false")]
    [InlineData("{\"fString\": 5}", "fString", "a string")]
    [InlineData("{\"fFloat\": 1e39}", "fFloat", "out of range for float")]
    [InlineData("{\"fBytes\": \"***\"}", "fBytes", "base64")]
    [InlineData("{\"fNested\": []}", "fNested", "an object for message testplugin.Nested")]
    [InlineData("{\"rInt32\": 5}", "rInt32", "an array")]
    [InlineData("{\"rNested\": [{}, {\"child\": {\"value\": \"x\"}}]}", "rNested[1].child.value", "integer")]
    [InlineData("{\"mNested\": {\"abc\": {}}}", "mNested[abc]", "map key 'abc' is not a valid int32")]
    [InlineData("{\"mBool\": {\"yes\": \"v\"}}", "mBool[yes]", "bool")]
    [InlineData("{\"rString\": [\"a\", null]}", "rString[1]", "Null is not allowed")]
    [InlineData("{\"nope\": 1}", "", "has no field 'nope'; its fields are fInt32, fInt64")]
    [InlineData("{\"fEnum\": \"PURPLE\"}", "fEnum", "'PURPLE' is not a value of enum testplugin.Color; expected one of COLOR_UNSPECIFIED, RED, GREEN, BLUE")]
    [InlineData("{\"oString\": \"a\", \"oInt32\": 1}", "oInt32", "Oneof 'choice' already has 'oString' set")]
    [InlineData("{\"fInt32\": 1, \"f_int32\": 2}", "f_int32", "more than once")]
    [InlineData("{\"wTimestamp\": \"2024-13-01T00:00:00Z\"}", "wTimestamp", "RFC 3339")]
    [InlineData("{\"wDuration\": \"1.5\"}", "wDuration", "duration")]
    [InlineData("{\"wAny\": {\"@type\": \"type.googleapis.com/nowhere.Unknown\"}}", "wAny", "'nowhere.Unknown' packed in an Any is unknown")]
    [InlineData("{\"wAny\": {\"name\": \"x\"}}", "wAny", "no '@type'")]
    public void Invalid_values_name_the_json_path_and_what_was_expected(string json, string path, string expected)
    {
        var error = ParseFails(json);

        Assert.Equal(path, error.FieldPath);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Null(error.Offset);
    }

    [Fact]
    public void Text_that_is_not_json_is_an_error()
    {
        Assert.Contains("not valid JSON", ParseFails("{\"fInt32\": ").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_and_enum_names_can_be_ignored()
    {
        var options = new ProtoJsonParseOptions { IgnoreUnknownFields = true };

        DynamicMessage parsed = ProtoJson.Parse(AllTypes.Descriptor, "{\"nope\": [1], \"fEnum\": \"PURPLE\", \"rEnum\": [\"RED\", \"PURPLE\"], \"fInt32\": 3}", null, options);

        Assert.Equal(new AllTypes { FInt32 = 3, REnum = { Color.Red } }, GeneratedBridge.ToGenerated<AllTypes>(parsed));
    }

    [Fact]
    public void Bytes_accept_standard_and_url_safe_base64_with_or_without_padding()
    {
        byte[] expected = { 0xFB, 0xFF, 0xBF, 0x01 };

        Assert.Equal(expected, ParseAll("{\"fBytes\": \"+/+/AQ==\"}").FBytes.ToByteArray());
        Assert.Equal(expected, ParseAll("{\"fBytes\": \"-_-_AQ\"}").FBytes.ToByteArray());
        Assert.Contains("\"fBytes\":\"+/+/AQ==\"", FormatAll(new AllTypes { FBytes = ByteString.CopyFrom(expected) }), StringComparison.Ordinal);
    }

    [Fact]
    public void Enums_are_names_and_unknown_numbers_stay_numbers()
    {
        string json = FormatAll(new AllTypes { FEnum = Color.Green, REnum = { (Color)42 } });

        Assert.Equal("{\"fEnum\":\"GREEN\",\"rEnum\":[42]}", json);
        Assert.Equal(new AllTypes { FEnum = Color.Green, REnum = { (Color)42 } }, ParseAll("{\"fEnum\": 2, \"rEnum\": [42]}"));
    }

    [Fact]
    public void Non_finite_floats_are_strings()
    {
        string json = FormatAll(new AllTypes { FFloat = float.NaN, RDouble = { double.PositiveInfinity, double.NegativeInfinity } });

        Assert.Equal("{\"fFloat\":\"NaN\",\"rDouble\":[\"Infinity\",\"-Infinity\"]}", json);
        Assert.True(float.IsNaN(ParseAll(json).FFloat));
    }

    [Fact]
    public void Null_leaves_a_field_unset_except_for_Value_and_NullValue()
    {
        AllTypes parsed = ParseAll("{\"fInt32\": null, \"fNested\": null, \"wInt32\": null, \"rInt32\": null, \"mString\": null, \"wValue\": null}");
        DynamicMessage wellKnown = ProtoJson.Parse(WellKnown.Descriptor, "{\"nullValue\": null, \"values\": [null]}", null);

        Assert.Null(parsed.FNested);
        Assert.Null(parsed.WInt32);
        Assert.Equal(Value.KindOneofCase.NullValue, parsed.WValue.KindCase);
        Assert.Equal(0, wellKnown[WellKnown.Descriptor.FindFieldByName("null_value")]);
        Assert.Single(GeneratedBridge.ToGenerated<WellKnown>(wellKnown).Values);
    }

    [Theory]
    [InlineData(0, 0, "\"1970-01-01T00:00:00Z\"")]
    [InlineData(1, 500_000_000, "\"1970-01-01T00:00:01.500Z\"")]
    [InlineData(-1, 1_000, "\"1969-12-31T23:59:59.000001Z\"")]
    [InlineData(253_402_300_799, 999_999_999, "\"9999-12-31T23:59:59.999999999Z\"")]
    public void Timestamps_are_RFC_3339_with_0_3_6_or_9_fraction_digits(long seconds, int nanos, string expected)
    {
        string json = ProtoJson.Format(DynamicCodec.Decode(Timestamp.Descriptor, new Timestamp { Seconds = seconds, Nanos = nanos }.ToByteArray()));

        Assert.Equal(expected, json);
        Assert.Equal(new Timestamp { Seconds = seconds, Nanos = nanos }, GeneratedBridge.ToGenerated<Timestamp>(ProtoJson.Parse(Timestamp.Descriptor, json, null)));
    }

    [Fact]
    public void Timestamps_with_offsets_are_converted_to_UTC()
    {
        DynamicMessage parsed = ProtoJson.Parse(Timestamp.Descriptor, "\"1970-01-01T01:00:00.25+01:00\"", null);

        Assert.Equal(new Timestamp { Seconds = 0, Nanos = 250_000_000 }, GeneratedBridge.ToGenerated<Timestamp>(parsed));
    }

    [Fact]
    public void Out_of_range_timestamps_cannot_be_formatted()
    {
        DynamicMessage message = DynamicCodec.Decode(Timestamp.Descriptor, new Timestamp { Seconds = 253_402_300_800 }.ToByteArray());

        Assert.Contains("outside 0001-01-01 to 9999-12-31", Assert.Throws<ProtobufCodecException>(() => ProtoJson.Format(message)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 500_000_000, "\"1.500s\"")]
    [InlineData(0, -250_000, "\"-0.000250s\"")]
    [InlineData(-3, 0, "\"-3s\"")]
    [InlineData(315_576_000_000, 1, "\"315576000000.000000001s\"")]
    public void Durations_are_seconds_with_an_s(long seconds, int nanos, string expected)
    {
        string json = ProtoJson.Format(DynamicCodec.Decode(Duration.Descriptor, new Duration { Seconds = seconds, Nanos = nanos }.ToByteArray()));

        Assert.Equal(expected, json);
        Assert.Equal(new Duration { Seconds = seconds, Nanos = nanos }, GeneratedBridge.ToGenerated<Duration>(ProtoJson.Parse(Duration.Descriptor, json, null)));
    }

    [Fact]
    public void FieldMask_is_a_comma_separated_string_of_camel_case_paths()
    {
        var mask = new FieldMask { Paths = { "a.b", "c_d", "foo_bar.baz_qux" } };

        string json = ProtoJson.Format(DynamicCodec.Decode(FieldMask.Descriptor, mask.ToByteArray()));

        Assert.Equal("\"a.b,cD,fooBar.bazQux\"", json);
        Assert.Equal(mask, GeneratedBridge.ToGenerated<FieldMask>(ProtoJson.Parse(FieldMask.Descriptor, json, null)));
    }

    [Fact]
    public void Wrappers_are_their_bare_values()
    {
        AllTypes message = ParseAll("{\"wInt32\": 0, \"wString\": \"s\", \"wUint64\": \"18446744073709551615\", \"wBytes\": \"AQ==\", \"wBool\": false}");

        Assert.Equal(0, message.WInt32);
        Assert.Equal("s", message.WString);
        Assert.Equal(ulong.MaxValue, message.WUint64);
        Assert.Equal("{\"wInt32\":0,\"wUint64\":\"18446744073709551615\",\"wBool\":false,\"wString\":\"s\",\"wBytes\":\"AQ==\"}", FormatAll(message));
    }

    [Fact]
    public void Struct_Value_and_ListValue_are_plain_json()
    {
        const string json = "{\"wStruct\":{\"a\":[1,\"x\",null,true,{\"b\":{}}]},\"wValue\":\"text\",\"wListValue\":[[],{}]}";

        AllTypes parsed = ParseAll(json);

        Assert.Equal(json, FormatAll(parsed));
        Assert.Equal("x", parsed.WStruct.Fields["a"].ListValue.Values[1].StringValue);
    }

    [Fact]
    public void Any_carries_the_packed_message_fields_next_to_its_type_url()
    {
        var message = new AllTypes { WAny = Any.Pack(new Nested { Name = "n", Value = 1 }) };

        string json = FormatAll(message);

        Assert.Equal("{\"wAny\":{\"@type\":\"type.googleapis.com/testplugin.Nested\",\"name\":\"n\",\"value\":1}}", json);
        Assert.Equal(message, ParseAll("{\"wAny\":{\"name\":\"n\",\"@type\":\"type.googleapis.com/testplugin.Nested\",\"value\":1}}"));
    }

    [Fact]
    public void Any_packing_a_well_known_type_uses_a_value_property_and_needs_no_resolver()
    {
        var message = new AllTypes { WAny = Any.Pack(new Duration { Seconds = 2 }) };

        string json = ProtoJson.Format(DynamicCodec.Decode(AllTypes.Descriptor, message.ToByteArray()));

        Assert.Equal("{\"wAny\":{\"@type\":\"type.googleapis.com/google.protobuf.Duration\",\"value\":\"2s\"}}", json);
        Assert.Equal(message, GeneratedBridge.ToGenerated<AllTypes>(ProtoJson.Parse(AllTypes.Descriptor, json, null)));
    }

    [Fact]
    public void The_type_resolver_gets_the_full_type_name_from_the_url()
    {
        var asked = new List<string>();
        MessageDescriptor? Resolver(string name)
        {
            asked.Add(name);
            return OracleMessages.Resolve(name);
        }

        ProtoJson.Parse(AllTypes.Descriptor, "{\"wAny\":{\"@type\":\"example.com/a/b/testplugin.Nested\"}}", Resolver);

        Assert.Equal(new[] { "testplugin.Nested" }, asked);
    }

    [Fact]
    public void Empty_is_an_empty_object_and_an_empty_Any_too()
    {
        Assert.Equal("{\"wAny\":{},\"wEmpty\":{}}", FormatAll(new AllTypes { WAny = new Any(), WEmpty = new Empty() }));
        Assert.Equal(new AllTypes { WAny = new Any(), WEmpty = new Empty() }, ParseAll("{\"wAny\":{},\"wEmpty\":{}}"));
    }

    [Fact]
    public void Proto_field_names_can_be_kept()
    {
        DynamicMessage message = DynamicCodec.Decode(AllTypes.Descriptor, new AllTypes { FInt32 = 1 }.ToByteArray());

        Assert.Equal("{\"f_int32\":1}", ProtoJson.Format(message, new ProtoJsonFormatOptions { PreserveProtoFieldNames = true }));
    }

    [Fact]
    public void A_message_that_contains_itself_cannot_be_formatted()
    {
        var tree = new DynamicMessage(Tree.Descriptor);
        tree[Tree.Descriptor.FindFieldByName("left")] = tree;

        Assert.Contains("recursion limit", Assert.Throws<ProtobufCodecException>(() => ProtoJson.Format(tree)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_json_is_rejected_at_the_recursion_limit()
    {
        string json = string.Concat(System.Linq.Enumerable.Repeat("{\"left\":", 150)) + "{}" + new string('}', 150);

        Assert.Contains("recursion limit of 100", ParseFails(json, Tree.Descriptor).Message, StringComparison.Ordinal);
    }
}
