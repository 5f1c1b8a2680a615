using System.Linq;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Terraform;

namespace RpcPlugin.Core.Tests.Terraform;

public class CtyTypeTests
{
    [Theory]
    [InlineData("\"string\"", "string")]
    [InlineData("\"number\"", "number")]
    [InlineData("\"bool\"", "bool")]
    [InlineData("\"dynamic\"", "dynamic")]
    [InlineData("[\"list\",\"string\"]", "list(string)")]
    [InlineData("[\"set\",\"number\"]", "set(number)")]
    [InlineData("[\"map\",\"string\"]", "map(string)")]
    [InlineData("[\"map\",[\"list\",\"bool\"]]", "map(list(bool))")]
    [InlineData("[\"tuple\",[\"string\",\"number\"]]", "tuple([string, number])")]
    [InlineData("[\"tuple\",[]]", "tuple([])")]
    [InlineData("[\"object\",{\"a\":\"number\",\"b\":\"string\"}]", "object({a=number, b=string})")]
    [InlineData("[\"object\",{}]", "object({})")]
    [InlineData("[\"list\",[\"object\",{\"a\":\"number\",\"b\":\"string\"}]]", "list(object({a=number, b=string}))")]
    [InlineData("[\"object\",{\"a\":\"number\",\"b\":\"string\"},[\"b\"]]", "object({a=number, b=optional(string)})")]
    public void A_type_reads_from_its_json_and_writes_back_the_same(string json, string text)
    {
        CtyType type = CtyType.Parse(json);

        Assert.Equal(text, type.ToString());
        Assert.Equal(json, type.ToJson());
        Assert.Equal(type, CtyType.Parse(type.ToJsonBytes()));
    }

    [Fact]
    public void Object_attributes_keep_their_declared_order_but_json_sorts_them()
    {
        CtyType type = CtyType.Parse("""["object",{"z":"string","a":"bool"}]""");

        Assert.Equal(new[] { "z", "a" }, type.Attributes.Select(a => a.Name));
        Assert.Equal("""["object",{"a":"bool","z":"string"}]""", type.ToJson());
        Assert.Equal(CtyType.Parse("""["object",{"a":"bool","z":"string"}]"""), type);
    }

    [Fact]
    public void Has_dynamic_sees_dynamic_anywhere_inside()
    {
        Assert.True(CtyType.Parse("""["list",["object",{"a":["tuple",["dynamic"]]}]]""").HasDynamic);
        Assert.False(CtyType.Parse("""["list",["object",{"a":["tuple",["string"]]}]]""").HasDynamic);
    }

    [Theory]
    [InlineData("\"int\"", "'int' is not a primitive type")]
    [InlineData("[\"list\"]", "expected a type name or an array")]
    [InlineData("[\"list\",\"string\",\"number\"]", "'list' with 2 argument(s) is not a type")]
    [InlineData("[\"vector\",\"string\"]", "'vector' with 1 argument(s) is not a type")]
    [InlineData("[\"object\",{\"a\":\"string\"},[\"b\"]]", "marks 'b' optional but has no such attribute")]
    [InlineData("[\"object\",{\"a\":\"string\",\"a\":\"bool\"}]", "names attribute 'a' twice")]
    [InlineData("{", "is not a valid cty type")]
    [InlineData("42", "expected a type name")]
    public void A_bad_type_is_an_invalid_response_saying_what_is_wrong(string json, string message)
    {
        var error = Assert.Throws<PluginException>(() => CtyType.Parse(json));

        Assert.Equal(PluginErrorCode.InvalidResponse, error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_type_nested_too_deep_is_refused_not_a_stack_overflow()
    {
        string json = string.Concat(Enumerable.Repeat("[\"list\",", 500)) + "\"string\"" + new string(']', 500);

        var error = Assert.Throws<PluginException>(() => CtyType.Parse(json));

        Assert.Equal(PluginErrorCode.InvalidResponse, error.Code);
    }
}
