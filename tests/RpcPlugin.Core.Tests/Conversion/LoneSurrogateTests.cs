using System;
using System.Collections;
using System.Collections.Generic;
using RpcPlugin.Core.Codec;
using RpcPlugin.TestPlugin.Protos;
using static RpcPlugin.Core.Tests.Conversion.ConversionTestKit;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>
/// A string with a lone UTF-16 surrogate is refused, naming the field, wherever it is (issue 14, "Clear
/// messages"): UTF-8 cannot encode it, and the default encoder silently sent U+FFFD instead.
/// </summary>
public class LoneSurrogateTests
{
    public static TheoryData<string, object> Requests() => new()
    {
        { "f_string", new Hashtable { ["f_string"] = "a\uD800b" } },
        { "r_string[1]", new Hashtable { ["r_string"] = new[] { "ok", "\uDC00" } } },
        { "m_string[k]", new Hashtable { ["m_string"] = new Hashtable { ["k"] = "\uD83D" } } },
        { "m_int64[\uDC00x]", new Hashtable { ["m_int64"] = new Hashtable { ["\uDC00x"] = 1 } } },
        { "f_nested.name", new Hashtable { ["f_nested"] = new Hashtable { ["name"] = "\uD800" } } },
        { "w_struct", new Hashtable { ["w_struct"] = new Hashtable { ["k"] = new object[] { "\uD800" } } } },
        { "w_string", new Hashtable { ["w_string"] = "x\uDBFF" } },
        { "w_any", new Hashtable { ["w_any"] = new Hashtable { ["@type"] = "type.googleapis.com/testplugin.Nested", ["name"] = "\uD800" } } },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void A_lone_surrogate_is_refused_naming_the_field(string path, object request)
    {
        var error = Refused(request);

        Assert.Contains($"'{path}", error.Message, StringComparison.Ordinal);
        Assert.Contains("lone UTF-16 surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_surrogate_pair_is_sent_as_its_character()
    {
        Assert.Equal("smile \uD83D\uDE00", SendField("f_string", "smile \uD83D\uDE00").FString);
    }

    [Fact]
    public void The_codec_refuses_to_encode_a_lone_surrogate_it_is_given_directly()
    {
        var message = new DynamicMessage(AllTypes.Descriptor);
        message.GetList<string>(AllTypes.Descriptor.FindFieldByName("r_string")).AddRange(new List<string> { "a", "b\uD800" });

        var error = Assert.Throws<ProtobufCodecException>(() => DynamicCodec.Encode(message));

        Assert.Equal("r_string[1]", error.FieldPath);
    }
}
