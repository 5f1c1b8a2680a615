using System.Collections;
using System.Text;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Terraform;
using static RpcPlugin.Core.Tests.Terraform.CtyTestValues;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>dynamic values (carried with their type) and unknown values.</summary>
public class CtyDynamicTests
{
    private static string Wrapped(string typeJson, string valueHex)
    {
        byte[] type = Encoding.UTF8.GetBytes(typeJson);
        return "92c4" + type.Length.ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + Hex(type) + valueHex;
    }

    [Theory]
    [InlineData("x", "\"string\"", "a178")]
    [InlineData(5, "\"number\"", "05")]
    [InlineData(true, "\"bool\"", "c3")]
    [InlineData(new object[] { "a", 1 }, """["tuple",["string","number"]]""", "92a16101")]
    public void A_dynamic_value_travels_as_its_inferred_type_and_the_value(object value, string typeJson, string valueHex)
    {
        Assert.Equal(Wrapped(typeJson, valueHex), Hex(Encode("\"dynamic\"", value)));
    }

    [Fact]
    public void A_hashtable_in_a_dynamic_slot_is_an_object_and_nulls_inside_are_dynamic()
    {
        byte[] bytes = Encode("\"dynamic\"", new Hashtable { ["b"] = null, ["a"] = "x" });

        Assert.Equal(Wrapped("""["object",{"a":"string","b":"dynamic"}]""", "82a161a178a162c0"), Hex(bytes));
        AssertSame(Ordered(("a", "x"), ("b", null)), CtyCodec.Decode(CtyType.Dynamic, bytes));
    }

    [Fact]
    public void Null_and_unknown_in_a_dynamic_slot_carry_no_type()
    {
        Assert.Equal("c0", Hex(Encode("\"dynamic\"", null)));
        Assert.Equal("d40000", Hex(Encode("\"dynamic\"", TerraformUnknown.Value)));
        Assert.Null(CtyCodec.Decode(CtyType.Dynamic, Bytes("c0")));
        Assert.Same(TerraformUnknown.Value, CtyCodec.Decode(CtyType.Dynamic, Bytes("d40000")));
    }

    [Fact]
    public void A_decoded_dynamic_collection_is_sent_back_with_the_type_it_came_with()
    {
        string hex = Wrapped("""["list","string"]""", "92a161a162");

        object? value = CtyCodec.Decode(CtyType.Dynamic, Bytes(hex));

        AssertSame(new object[] { "a", "b" }, value);
        Assert.Equal(hex, Hex(CtyCodec.Encode(CtyType.Dynamic, value)));
    }

    [Fact]
    public void A_decoded_dynamic_map_changed_so_it_no_longer_fits_is_typed_afresh()
    {
        var map = (System.Collections.Specialized.OrderedDictionary)CtyCodec.Decode(CtyType.Dynamic, Bytes(Wrapped("""["map","string"]""", "81a161a178")))!;
        map["b"] = "y";
        string stillAMap = Hex(CtyCodec.Encode(CtyType.Dynamic, map));
        map["b"] = new object[] { 1 };

        Assert.Equal(Wrapped("""["map","string"]""", "82a161a178a162a179"), stillAMap);
        Assert.Equal(Wrapped("""["object",{"a":"string","b":["tuple",["number"]]}]""", "82a161a178a1629101"), Hex(CtyCodec.Encode(CtyType.Dynamic, map)));
    }

    [Fact]
    public void Dynamic_values_decode_by_their_type_in_string_or_binary_form()
    {
        byte[] type = Encoding.UTF8.GetBytes("\"number\"");
        string asString = "92a8" + Hex(type) + "07";

        Assert.Equal(7L, CtyCodec.Decode(CtyType.Dynamic, Bytes(asString)));
        Assert.Equal(7L, CtyCodec.Decode(CtyType.Dynamic, Bytes(Wrapped("\"number\"", "07"))));
    }

    [Theory]
    [InlineData("91c0", "a dynamic value must be a [type, value] array of two")]
    [InlineData("92c403414243c0", "is not a valid cty type")]
    [InlineData("92c3c0", "type must be JSON")]
    public void A_malformed_dynamic_value_is_an_invalid_response(string hex, string message)
    {
        var error = Assert.Throws<PluginException>(() => CtyCodec.Decode(CtyType.Dynamic, Bytes(hex)));

        Assert.Equal(PluginErrorCode.InvalidResponse, error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Unknown_values_encode_as_terraforms_extension_zero_anywhere()
    {
        byte[] bytes = Encode("""["object",{"id":"string","tags":["list","string"]}]""", new Hashtable { ["id"] = TerraformUnknown.Value, ["tags"] = TerraformUnknown.Value });

        Assert.Equal("82a26964d40000a474616773d40000", Hex(bytes));
    }

    [Theory]
    [InlineData("d40000")]
    [InlineData("d40700")]
    [InlineData("c70000")]
    [InlineData("c7030c8101c2")]
    [InlineData("d50c8101")]
    public void Unknown_and_refined_unknown_values_decode_as_the_unknown_marker(string hex)
    {
        Assert.Same(TerraformUnknown.Value, CtyCodec.Decode(CtyType.String, Bytes(hex)));
        Assert.Same(TerraformUnknown.Value, CtyCodec.Decode(CtyType.Parse("""["list","number"]"""), Bytes(hex)));
    }

    [Fact]
    public void A_long_extension_that_is_not_a_refinement_is_an_invalid_response()
    {
        var error = Assert.Throws<PluginException>(() => CtyCodec.Decode(CtyType.String, Bytes("c70305000000")));

        Assert.Contains("extension type 5 is not an unknown value", error.Message);
    }

    [Fact]
    public void The_unknown_marker_reads_as_terraform_shows_it()
    {
        Assert.Equal("(known after apply)", TerraformUnknown.Value.ToString());
        Assert.Equal(TerraformUnknown.Value, TerraformUnknown.Value);
    }
}
