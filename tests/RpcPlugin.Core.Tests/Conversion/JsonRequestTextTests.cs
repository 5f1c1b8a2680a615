using System;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;
using RpcPlugin.TestPlugin.Protos;
using static RpcPlugin.Core.Tests.Conversion.ConversionTestKit;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>
/// A request given as JSON text that is empty or not JSON is refused in the user's terms: what was wrong, the line
/// and character, and no System.Text.Json internals (isFinalBlock, BytePositionInLine).
/// </summary>
public class JsonRequestTextTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t")]
    public void Empty_request_text_says_it_is_empty_and_what_a_request_looks_like(string text)
    {
        PluginException error = Refused(text);

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("{\"fInt32\":", error.Message, StringComparison.Ordinal);
        Assert.Contains("@{ f_int32 =", error.Message, StringComparison.Ordinal);
        AssertNoReaderJargon(error.Message);
    }

    [Theory]
    [InlineData("{\"fInt32\": }", "line 1, character 12")]
    [InlineData("{\n  \"fString\": \"é\" x }", "line 2, character 18")]
    [InlineData("{\"fInt32\": 1", "line 1, character 13")]
    [InlineData("{\"fInt32\": 1,}", "line 1, character 14")]
    [InlineData("{\"fString\": \"a\nb\"}", "line 1, character 15")]
    [InlineData("{'fInt32': 1}", "line 1, character 2")]
    [InlineData("{} x", "line 1, character 4")]
    public void Malformed_json_names_the_line_and_character(string json, string where)
    {
        var parsed = Assert.Throws<ProtobufCodecException>(() => ProtoJson.Parse(AllTypes.Descriptor, json, null));
        PluginException request = Refused(json);

        Assert.Contains(where, parsed.Message, StringComparison.Ordinal);
        Assert.Contains(where, request.Message, StringComparison.Ordinal);
        AssertNoReaderJargon(parsed.Message);
        AssertNoReaderJargon(request.Message);
        Assert.DoesNotContain("..", request.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_reattach_config_says_where_in_the_same_terms()
    {
        var error = Assert.Throws<PluginException>(() => RpcPlugin.Core.Attach.ReattachConfig.Parse("{\"Protocol\": \"grpc\",\n}", null));

        Assert.Contains("line 2, character 1", error.Message, StringComparison.Ordinal);
        AssertNoReaderJargon(error.Message);
    }

    private static void AssertNoReaderJargon(string message)
    {
        foreach (string jargon in new[] { "isFinalBlock", "BytePositionInLine", "LineNumber", "payload", "reader options", "JSON token" })
        {
            Assert.DoesNotContain(jargon, message, StringComparison.Ordinal);
        }
    }
}
