using System.Numerics;
using System.Text;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Terraform;
using static RpcPlugin.Core.Tests.Terraform.CtyTestValues;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>The JSON form of DynamicValue, which some providers send instead of msgpack.</summary>
public class CtyJsonTests
{
    private static object? Decode(string type, string json) => CtyCodec.DecodeJson(CtyType.Parse(type), Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Json_values_decode_like_msgpack_ones()
    {
        const string type = """["object",{"name":"string","n":"number","big":"number","f":"number","ok":"bool","tags":["map","string"],"l":["list","number"],"t":["tuple",["string"]],"d":"dynamic"}]""";
        const string json = """{"name":"x","n":3,"big":18446744073709551617,"f":"0.25","ok":true,"tags":{"b":"2","a":"1"},"l":[1,2],"t":["y"],"d":{"value":["a"],"type":["list","string"]}}""";

        AssertSame(
            Ordered(("name", "x"), ("n", 3L), ("big", BigInteger.Pow(2, 64) + 1), ("f", 0.25), ("ok", true), ("tags", Ordered(("a", "1"), ("b", "2"))),
                ("l", new object[] { 1L, 2L }), ("t", new object[] { "y" }), ("d", new object[] { "a" })),
            Decode(type, json));
    }

    [Theory]
    [InlineData("\"string\"", "5", "expected a string, got a JSON number")]
    [InlineData("""["object",{"a":"string"}]""", """{"b":"x"}""", "attribute 'b' that its type has not")]
    [InlineData("\"dynamic\"", """{"value":1}""", "must be an object with \"value\" and \"type\"")]
    [InlineData("\"string\"", "{", "the JSON is malformed")]
    public void Bad_json_is_an_invalid_response(string type, string json, string message)
    {
        var error = Assert.Throws<PluginException>(() => Decode(type, json));

        Assert.Equal(PluginErrorCode.InvalidResponse, error.Code);
        Assert.Contains(message, error.Message);
    }
}
