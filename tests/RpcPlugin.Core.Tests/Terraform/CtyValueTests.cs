using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Terraform;
using static RpcPlugin.Core.Tests.Terraform.CtyTestValues;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>Strings, bools and every collection type both ways, with the bytes Terraform's own encoder writes.</summary>
public class CtyValueTests
{
    [Theory]
    [InlineData("\"string\"", "x", "a178")]
    [InlineData("\"string\"", 'y', "a179")]
    [InlineData("\"bool\"", true, "c3")]
    [InlineData("\"bool\"", "false", "c2")]
    [InlineData("\"bool\"", "1", "c3")]
    [InlineData("[\"list\",\"string\"]", new[] { "a", "b" }, "92a161a162")]
    [InlineData("[\"list\",\"string\"]", "a", "91a161")]
    [InlineData("[\"set\",\"number\"]", new[] { 3, 1 }, "920301")]
    [InlineData("[\"tuple\",[\"string\",\"bool\"]]", new object[] { "x", true }, "92a178c3")]
    [InlineData("[\"list\",\"string\"]", null, "c0")]
    public void Values_encode_as_terraform_encodes_them(string type, object? value, string hex)
    {
        Assert.Equal(hex, Hex(Encode(type, value)));
    }

    [Fact]
    public void Object_attributes_go_in_name_order_and_those_not_given_are_null()
    {
        byte[] bytes = Encode("""["object",{"b":"string","a":"number"}]""", new Hashtable { ["b"] = "x" });

        Assert.Equal("82a161c0a162a178", Hex(bytes));
    }

    [Fact]
    public void Objects_decode_in_the_types_attribute_order_with_missing_attributes_null()
    {
        var value = CtyCodec.Decode(CtyType.Parse("""["object",{"b":"string","a":"number","c":"bool"}]"""), Bytes("82a161c0a162a178"));

        AssertSame(Ordered(("b", "x"), ("a", null), ("c", null)), value);
    }

    [Fact]
    public void Maps_go_in_key_order_and_decode_in_key_order_like_cty()
    {
        byte[] bytes = Encode("""["map","string"]""", new Dictionary<string, object> { ["b"] = "2", ["a"] = 1, ["B"] = "3" });

        Assert.Equal("83a142a133a161a131a162a132", Hex(bytes));
        AssertSame(Ordered(("B", "3"), ("a", "1"), ("b", "2")), CtyCodec.Decode(CtyType.Parse("""["map","string"]"""), bytes));
    }

    [Fact]
    public void Decoded_objects_find_attributes_case_insensitively_unless_two_differ_only_in_case()
    {
        var single = (OrderedDictionary)RoundTrip("""["object",{"name":"string"}]""", new Hashtable { ["name"] = "n" })!;
        var twins = (OrderedDictionary)RoundTrip("""["map","string"]""", new Dictionary<string, string> { ["a"] = "1", ["A"] = "2" })!;

        Assert.Equal("n", single["Name"]);
        Assert.Equal("1", twins["a"]);
        Assert.Equal("2", twins["A"]);
    }

    [Fact]
    public void Records_and_differently_cased_names_are_accepted_for_objects()
    {
        var value = RoundTrip("""["object",{"name":"string","size":"number"}]""", new Record(("Name", "n"), ("SIZE", 2)));

        AssertSame(Ordered(("name", "n"), ("size", 2L)), value);
    }

    [Fact]
    public void Lists_sets_and_tuples_decode_as_arrays_and_maps_of_objects_nest()
    {
        const string type = """["map",["object",{"tags":["set","string"],"pair":["tuple",["number","string"]],"ids":["list","number"]}]]""";
        var value = new Hashtable
        {
            ["one"] = new Hashtable { ["tags"] = new[] { "x", "y" }, ["pair"] = new object[] { 1, "a" }, ["ids"] = new List<int> { 1, 2 } },
            ["two"] = new Hashtable(),
        };

        AssertSame(
            Ordered(
                ("one", Ordered(("tags", new object[] { "x", "y" }), ("pair", new object[] { 1L, "a" }), ("ids", new object[] { 1L, 2L }))),
                ("two", Ordered(("tags", null), ("pair", null), ("ids", null)))),
            RoundTrip(type, value));
    }

    [Fact]
    public void An_unknown_attribute_is_an_invalid_request_naming_its_path_and_the_valid_names()
    {
        var value = new Hashtable { ["rules"] = new[] { new Hashtable { ["port"] = 1 }, new Hashtable { ["prot"] = 2 } } };

        var error = Assert.Throws<PluginException>(() => CtyCodec.Encode(CtyType.Parse("""["object",{"rules":["list",["object",{"port":"number","name":"string"}]]}]"""), value, path: "config"));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
        Assert.Contains("'config.rules[1]'", error.Message);
        Assert.Contains("there is no attribute 'prot'; valid attributes: port, name", error.Message);
    }

    [Theory]
    [InlineData("""["tuple",["string","bool"]]""", new object[] { "x" }, "expected 2 element(s) for tuple([string, bool]), got 1")]
    [InlineData("\"bool\"", "yes", "expected a bool")]
    [InlineData("\"string\"", new[] { 1 }, "expected a string, got a Int32[]")]
    [InlineData("""["map","string"]""", "x", "expected an object or map")]
    public void A_value_of_the_wrong_shape_is_an_invalid_request(string type, object value, string message)
    {
        var error = Assert.Throws<PluginException>(() => Encode(type, value));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("""["object",{"a":"string"}]""", "81a162a178", "the value has an attribute 'b' that its type has not")]
    [InlineData("""["map",["list","string"]]""", "81a16191c3", "'[\"a\"][0]'")]
    [InlineData("""["tuple",["string"]]""", "92a178a178", "expected 1 element(s)")]
    [InlineData("\"string\"", "a178a178", "2 byte(s) follow the value")]
    [InlineData("\"string\"", "a5787878", "malformed")]
    [InlineData("\"string\"", "", "malformed")]
    public void Provider_output_that_does_not_fit_its_type_is_an_invalid_response(string type, string hex, string message)
    {
        var error = Assert.Throws<PluginException>(() => CtyCodec.Decode(CtyType.Parse(type), Bytes(hex)));

        Assert.Equal(PluginErrorCode.InvalidResponse, error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Deeply_nested_values_are_refused_not_a_stack_overflow()
    {
        object value = "x";
        for (int i = 0; i < 200; i++)
        {
            value = new object[] { value };
        }

        var encode = Assert.Throws<PluginException>(() => Encode("\"dynamic\"", value));
        byte[] tuple = System.Text.Encoding.ASCII.GetBytes("[\"tuple\",[\"dynamic\"]]");
        string level = "92c4" + tuple.Length.ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + Hex(tuple) + "91";
        var decode = Assert.Throws<PluginException>(() => CtyCodec.Decode(CtyType.Dynamic, Bytes(string.Concat(System.Linq.Enumerable.Repeat(level, 150)) + "c0")));

        Assert.Equal(PluginErrorCode.InvalidRequest, encode.Code);
        Assert.Contains("levels deep", encode.Message);
        Assert.Equal(PluginErrorCode.InvalidResponse, decode.Code);
    }
}
