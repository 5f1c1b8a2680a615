using System;
using System.Collections;
using System.Linq;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Tests.Codec;
using RpcPlugin.TestPlugin.Protos;
using static RpcPlugin.Core.Tests.Conversion.ConversionTestKit;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>
/// One base64 rule for a hashtable and JSON: the standard or URL-safe alphabet, padded or not, with whitespace
/// (MIME and PEM line breaks) ignored as .NET's own decoder ignores it.
/// </summary>
public class Base64TextTests
{
    private static readonly byte[] Hundred = Enumerable.Range(1, 100).Select(i => (byte)i).ToArray();

    public static TheoryData<string, byte[]> Accepted() => new()
    {
        { "QUJD RA==", "ABCD"u8.ToArray() },
        { "QUJDRA", "ABCD"u8.ToArray() },
        { " QUJD\tRA = = ", "ABCD"u8.ToArray() },
        { "QU JD RA", "ABCD"u8.ToArray() },
        { "-_-_AQ", new byte[] { 0xFB, 0xFF, 0xBF, 0x01 } },
        { "+/+/\r\nAQ==", new byte[] { 0xFB, 0xFF, 0xBF, 0x01 } },
        { Convert.ToBase64String(Hundred, Base64FormattingOptions.InsertLineBreaks), Hundred },
        { Convert.ToBase64String(Hundred, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('='), Hundred },
        { "  ", Array.Empty<byte>() },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Base64_is_read_the_same_from_a_hashtable_and_from_json(string text, byte[] expected)
    {
        AllTypes fromHashtable = SendField("f_bytes", text);
        AllTypes fromJson = GeneratedBridge.ToGenerated<AllTypes>(ProtoJson.Parse(AllTypes.Descriptor, $"{{\"fBytes\": {System.Text.Json.JsonSerializer.Serialize(text)}}}", OracleMessages.Resolve));

        Assert.Equal(expected, fromHashtable.FBytes.ToByteArray());
        Assert.Equal(expected, fromJson.FBytes.ToByteArray());
    }

    [Theory]
    [InlineData("QUJDR")]
    [InlineData("QU*D")]
    [InlineData("QUJD\u00a0RA==")]
    [InlineData("QUJDRA===")]
    public void Text_that_is_not_base64_is_refused_in_both_forms(string text)
    {
        PluginException fromHashtable = Refused(new Hashtable { ["f_bytes"] = text });
        var fromJson = Assert.Throws<ProtobufCodecException>(() => ProtoJson.Parse(AllTypes.Descriptor, $"{{\"fBytes\": {System.Text.Json.JsonSerializer.Serialize(text)}}}", OracleMessages.Resolve));

        Assert.Contains("not base64", fromHashtable.Message, StringComparison.Ordinal);
        Assert.Contains("base64", fromJson.Message, StringComparison.Ordinal);
    }
}
