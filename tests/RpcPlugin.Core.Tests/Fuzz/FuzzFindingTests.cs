using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RpcPlugin.Core.Attach;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Logs;
using RpcPlugin.Core.Tests.Codec;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// The smallest inputs for the bugs in src/ the fuzz tests found, each asserting the documented behaviour. Fixed
/// bugs stay here as regression tests; a bug not fixed yet is skipped with "bug: ..." until it is.
/// </summary>
public class FuzzFindingTests
{
    private const string AddrOk = "\"Addr\":{\"Network\":\"unix\",\"String\":\"/tmp/plugin1\"}";

    private static readonly MessageBuilder Builder = new(PlainValueAdapter.Instance, name => OracleMessages.Resolve(name[(name.LastIndexOf('/') + 1)..]));

    [Fact]
    public void ProtoJson_parse_of_text_with_an_unpaired_surrogate_is_a_codec_error()
    {
        Assert.Throws<ProtobufCodecException>(() => ProtoJson.Parse(AllTypes.Descriptor, "{\"fString\":\"\uD800\"}", null));
    }

    [Fact]
    public void Building_from_json_text_with_an_unpaired_surrogate_is_an_invalid_request()
    {
        var error = Assert.Throws<PluginException>(() => Builder.Build(AllTypes.Descriptor, "{\"fString\":\"\uD800\"}"));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
    }

    [Fact]
    public void Hclog_line_with_an_unpaired_surrogate_is_plain_text()
    {
        const string line = "{\"@message\":\"\uD800\"}";

        RpcPluginLogEntry entry = new HclogParser(RpcPluginLogSource.Stderr).Parse(line);

        Assert.Equal(line, entry.Line);
    }

    [Fact]
    public void Hclog_json_with_an_escaped_unpaired_surrogate_does_not_throw()
    {
        var parser = new HclogParser(RpcPluginLogSource.Stderr);

        foreach (string line in new[] { "{\"@message\":\"\\ud800\"}", "{\"@message\":\"m\",\"\\udc00\":1}", "{\"@level\":\"info\",\"list\":[\"\\ud800x\"]}", "{\"@message\":\"m\",\"@module\":\"\\ud83d\"}" })
        {
            RpcPluginLogEntry entry = parser.Parse(line);
            Assert.Equal(line, entry.Line);
        }
    }

    [Fact]
    public void ProtoJson_property_name_with_an_escaped_unpaired_surrogate_is_a_codec_error()
    {
        foreach (string json in new[] { "{\"mString\":{\"\\ud800\":\"x\"}}", "{\"wStruct\":{\"\\ud800\":1}}", "{\"\\ud800\":1}", "{\"mNested\":{\"\\udc00\":{}}}" })
        {
            Assert.Throws<ProtobufCodecException>(() => ProtoJson.Parse(AllTypes.Descriptor, json, null));
        }
    }

    [Theory]
    [InlineData("{\"Protocol\":\"grpc\",\"Addr\":{\"Network\":975,\"String\":\"/tmp/plugin1\"}}")]
    [InlineData("{\"Protocol\":\"grpc\",\"Addr\":{\"Network\":\"unix\",\"String\":[]}}")]
    [InlineData("{\"Protocol\":1," + AddrOk + "}")]
    [InlineData("{\"Protocol\":\"grpc\",\"Addr\":\"unix:/tmp/plugin1\"}")]
    [InlineData("{\"Protocol\":\"grpc\",\"ProtocolVersion\":1.5," + AddrOk + "}")]
    [InlineData("{\"Protocol\":\"grpc\",\"Pid\":99999999999," + AddrOk + "}")]
    [InlineData("{\"Protocol\":\"\\ud800\"," + AddrOk + "}")]
    [InlineData("{\"\\ud800\":1}")]
    [InlineData("{\"provider\":{\"Protocol\":\"grpc\",\"Addr\":7}}")]
    public void Reattach_config_with_values_of_the_wrong_kind_is_an_invalid_argument(string json)
    {
        var error = Assert.Throws<PluginException>(() => ReattachConfig.Parse(json, null));

        Assert.Contains(error.Code, new[] { PluginErrorCode.InvalidArgument, PluginErrorCode.HandshakeInvalid });
    }

    [Fact]
    public void Reattach_config_text_with_an_unpaired_surrogate_is_an_invalid_argument()
    {
        // Not an InlineData: the test runner's serialization would replace the lone surrogate.
        var error = Assert.Throws<PluginException>(() => ReattachConfig.Parse("{\"Protocol\":\"\uD800\"," + AddrOk + "}", null));

        Assert.Equal(PluginErrorCode.InvalidArgument, error.Code);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e300)]
    [InlineData(1e12)]
    public void Building_a_duration_from_an_out_of_range_number_is_an_invalid_request(double seconds)
    {
        var error = Assert.Throws<PluginException>(() => Builder.Build(AllTypes.Descriptor, new Hashtable { ["wDuration"] = seconds }));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
    }

    [Fact]
    public void Building_a_duration_from_a_huge_decimal_long_or_string_is_an_invalid_request()
    {
        foreach (object seconds in new object[] { decimal.MaxValue, long.MaxValue, "1e20s" })
        {
            var error = Assert.Throws<PluginException>(() => Builder.Build(AllTypes.Descriptor, new Hashtable { ["wDuration"] = seconds }));
            Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
        }
    }

    [Fact]
    public void Building_an_integer_from_a_huge_unsigned_enum_is_an_invalid_request()
    {
        var error = Assert.Throws<PluginException>(() => Builder.Build(AllTypes.Descriptor, new Hashtable { ["fInt64"] = UnsignedEnum.Top }));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
    }

    [Fact]
    public void Building_an_any_whose_keys_collide_as_text_is_an_invalid_request()
    {
        var any = new Hashtable { ["@type"] = "type.googleapis.com/testplugin.Nested", [1] = "x", ["1"] = "y" };

        var error = Assert.Throws<PluginException>(() => Builder.Build(AllTypes.Descriptor, new Hashtable { ["wAny"] = any }));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
    }

    [Fact]
    public void A_value_nested_deeper_than_the_encoder_allows_is_rejected_when_built()
    {
        // 40 levels of Struct in a Value: 120 message levels on the wire (Value, Struct, map entry), past the
        // encoder's 100, though the builder's own count (two per level) stays under its limit.
        var error = Assert.Throws<PluginException>(() => Builder.Build(AllTypes.Descriptor, new Hashtable { ["wValue"] = NestedHashtables(40) }));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
        Assert.Contains("nested deeper than the recursion limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_nested_within_the_encoders_limit_is_built_and_encodes()
    {
        DynamicMessage built = Builder.Build(AllTypes.Descriptor, new Hashtable { ["wValue"] = NestedHashtables(30) });

        Assert.NotEmpty(DynamicCodec.Encode(built));
    }

    [Fact]
    public void A_value_nested_far_too_deep_is_rejected_at_the_limit_not_after_recursing_all_the_way()
    {
        // 5,000 levels on a thread with a large stack, so that the current behaviour fails the test instead of the
        // test host: the error must come from near the limit, so its field path is short, not 5,000 segments long.
        object? value = "leaf";
        for (int i = 0; i < 5_000; i++)
        {
            value = new object?[] { value };
        }

        Exception? error = null;
        var thread = new Thread(() => error = Record.Exception(() => Builder.Build(AllTypes.Descriptor, new Hashtable { ["wValue"] = value })), 256 * 1024 * 1024);
        thread.Start();
        thread.Join();

        var invalid = Assert.IsType<PluginException>(error);
        Assert.Equal(PluginErrorCode.InvalidRequest, invalid.Code);
        Assert.True(invalid.Message.Length < 2_000, $"the error names a path of {invalid.Message.Length} characters: the builder recursed all the way down first");
    }

    [Fact]
    public void Json_struct_nesting_the_encoder_would_refuse_is_refused_when_parsed()
    {
        // Parsing counts JSON objects (two per level here), encoding counts messages (three): what parses must
        // also encode, so the parser checks with the encoder's count.
        var error = Assert.Throws<ProtobufCodecException>(() => ProtoJson.Parse(AllTypes.Descriptor, NestedStructJson(40), null));

        Assert.Contains("nested deeper than the recursion limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_struct_nesting_within_the_limit_parses_and_encodes()
    {
        DynamicMessage parsed = ProtoJson.Parse(AllTypes.Descriptor, NestedStructJson(30), null);

        Assert.NotEmpty(DynamicCodec.Encode(parsed));
    }

    [Fact]
    public async Task A_carriage_return_at_a_cut_is_kept()
    {
        byte[] input = Enumerable.Repeat((byte)'a', LineReader.MaxLineLength - 1).Append((byte)'\r').Append((byte)'b').Append((byte)'\n').ToArray();
        var reader = new LineReader(new MemoryStream(input));

        string? first = await reader.ReadLineAsync();
        string? second = await reader.ReadLineAsync();

        Assert.Equal(new string('a', LineReader.MaxLineLength - 1) + "\r", first);
        Assert.Equal("b", second);
    }

    private static object NestedHashtables(int levels)
    {
        object value = "leaf";
        for (int i = 0; i < levels; i++)
        {
            value = new Hashtable { ["k"] = value };
        }

        return value;
    }

    private static string NestedStructJson(int levels)
    {
        var json = new StringBuilder("{\"wStruct\":");
        for (int i = 0; i < levels; i++)
        {
            json.Append("{\"a\":");
        }

        return json.Append('1').Append('}', levels + 1).ToString();
    }

    private enum UnsignedEnum : ulong
    {
        Top = ulong.MaxValue,
    }
}
