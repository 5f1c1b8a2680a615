using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Tests.Codec;
using RpcPlugin.TestPlugin.Protos;
using static RpcPlugin.Core.Tests.Conversion.ConversionTestKit;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>What a decoded response becomes for PowerShell (<see cref="MessageProjector"/>), by example.</summary>
public class MessageProjectorTests
{
    private static readonly MessageProjector Projector = new(DictionaryRecordFactory.Instance, name => OracleMessages.Resolve(name[(name.LastIndexOf('/') + 1)..]));

    [Fact]
    public void A_record_has_every_field_in_declaration_order_oneof_members_included()
    {
        OrderedDictionary empty = Project(new AllTypes());
        OrderedDictionary chosen = Project(new AllTypes { OInt32 = 0 });

        string[] expected = AllTypes.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name).ToArray();
        Assert.Equal(expected, empty.Keys.Cast<string>().ToArray());
        Assert.Equal(expected, chosen.Keys.Cast<string>().ToArray());
        Assert.Null(empty["o_int32"]);
        Assert.Equal(0, chosen["o_int32"]);
        Assert.Null(chosen["o_string"]);
        Assert.Null(chosen["o_nested"]);
    }

    [Fact]
    public void Unset_scalars_read_as_their_default_and_unset_messages_and_optionals_as_null()
    {
        OrderedDictionary record = Project(new AllTypes());

        Assert.Equal(0, record["f_int32"]);
        Assert.Equal(0UL, record["f_uint64"]);
        Assert.Equal(string.Empty, record["f_string"]);
        Assert.Equal(Array.Empty<byte>(), record["f_bytes"]);
        Assert.Equal("COLOR_UNSPECIFIED", record["f_enum"]);
        Assert.Null(record["f_nested"]);
        Assert.Null(record["opt_int32"]);
        Assert.Null(record["w_timestamp"]);
        Assert.Null(record["w_int32"]);
    }

    [Fact]
    public void Repeated_fields_are_typed_arrays_and_enums_names_or_unknown_numbers()
    {
        OrderedDictionary record = Project(new AllTypes { RInt32 = { 1, 2 }, REnum = { Color.Red, (Color)42 }, RNested = { new Nested { Name = "n" } } });
        OrderedDictionary empty = Project(new AllTypes());

        Assert.Equal(new[] { 1, 2 }, Assert.IsType<int[]>(record["r_int32"]));
        Assert.Equal(new object[] { "RED", 42 }, (object[])record["r_enum"]!);
        Assert.Equal("n", ((OrderedDictionary)((object[])record["r_nested"]!)[0]!)["name"]);
        Assert.Empty(Assert.IsType<string[]>(empty["r_string"]));
        Assert.Empty(Assert.IsType<object[]>(empty["r_nested"]));
    }

    [Fact]
    public void String_keyed_maps_are_ordered_hashtables_and_integer_or_bool_keyed_ones_proto_maps()
    {
        var message = new AllTypes { MString = { ["b"] = "1", ["a"] = "2" }, MBool = { [true] = "yes" }, MkUint64 = { [ulong.MaxValue] = "max" } };
        message.MNested.Add(7, new Nested { Name = "seven" });

        OrderedDictionary record = Project(message);

        var strings = Assert.IsType<OrderedDictionary>(record["m_string"]);
        Assert.Equal(new object[] { "b", "a" }, strings.Keys.Cast<object>().ToArray());
        var nested = Assert.IsType<ProtoMap>(record["m_nested"]);
        Assert.Equal(typeof(int), nested.KeyType);
        Assert.Equal("seven", ((OrderedDictionary)nested[7L]!)["name"]);
        Assert.Equal(new object[] { 7 }, nested.Keys.Cast<object>().ToArray());
        var big = Assert.IsType<ProtoMap>(record["mk_uint64"]);
        Assert.Equal("max", big["18446744073709551615"]);
        DictionaryEntry entry = big.Cast<DictionaryEntry>().Single();
        Assert.Equal("18446744073709551615", entry.Key);
        var flags = Assert.IsType<ProtoMap>(record["m_bool"]);
        Assert.Equal("yes", flags[true]);
        Assert.Equal("true", flags.Cast<DictionaryEntry>().Single().Key);
        Assert.Empty(Assert.IsType<ProtoMap>(record["mk_int64"]));
    }

    [Fact]
    public void A_proto_map_is_read_only_and_misses_keys_it_cannot_have()
    {
        var message = new AllTypes();
        message.MNested.Add(-2, new Nested());
        var map = Assert.IsType<ProtoMap>(Project(message)["m_nested"]);

        Assert.True(map.ContainsKey("-2"));
        Assert.True(map.ContainsKey(-2.0));
        Assert.False(map.ContainsKey(-2.5));
        Assert.False(map.ContainsKey(long.MaxValue));
        Assert.False(map.ContainsKey("minus two"));
        Assert.Null(map[3]);
        Assert.Throws<NotSupportedException>(() => map[3] = null);
        Assert.Throws<NotSupportedException>(() => ((IDictionary)map).Clear());
    }

    [Fact]
    public void Well_known_fields_take_their_natural_values_and_an_any_its_content()
    {
        var message = new AllTypes
        {
            WTimestamp = new Timestamp { Seconds = 1, Nanos = 100 },
            WDuration = new Duration { Seconds = 2 },
            WInt32 = 0,
            WAny = Any.Pack(new Nested { Name = "packed", Value = 4 }),
        };

        OrderedDictionary record = Project(message);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1).AddTicks(1), record["w_timestamp"]);
        Assert.Equal(TimeSpan.FromSeconds(2), record["w_duration"]);
        Assert.Equal(0, record["w_int32"]);
        var any = Assert.IsType<OrderedDictionary>(record["w_any"]);
        Assert.Equal(new object[] { "@type", "name", "value", "child" }, any.Keys.Cast<object>().ToArray());
        Assert.Equal("packed", any["name"]);
    }

    [Fact]
    public void An_any_of_an_unknown_type_keeps_its_bytes()
    {
        var message = new AllTypes { WAny = new Any { TypeUrl = "type.googleapis.com/no.Such", Value = ByteString.CopyFrom(1, 2) } };

        var any = Assert.IsType<OrderedDictionary>(Project(message)["w_any"]);

        Assert.Equal("type.googleapis.com/no.Such", any["@type"]);
        Assert.Equal(new byte[] { 1, 2 }, any["value"]);
    }

    [Fact]
    public void A_value_dotnet_cannot_hold_is_a_codec_error_naming_the_field()
    {
        var message = new AllTypes { FNested = new Nested { Child = new Nested() }, WTimestamp = new Timestamp { Seconds = 253_402_300_800 } };

        var error = Assert.Throws<ProtobufCodecException>(() => Projector.Project(Decoded(message)));

        Assert.Equal("w_timestamp", error.FieldPath);
    }

    [Fact]
    public void A_response_that_is_itself_a_well_known_type_unwraps()
    {
        Assert.Equal(DateTimeOffset.UnixEpoch, Projector.Project(DynamicCodec.Decode(Timestamp.Descriptor, new Timestamp().ToByteArray())));
        Assert.Null(Projector.Project(DynamicCodec.Decode(Empty.Descriptor, Array.Empty<byte>())));
    }

    private static OrderedDictionary Project(AllTypes message) =>
        Assert.IsType<OrderedDictionary>(Projector.Project(Decoded(message)));
}
