using System;
using System.Collections;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Tests.Codec.Proto3;
using static RpcPlugin.Core.Tests.Conversion.ConversionTestKit;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>
/// A FieldMask in a request follows one rule whatever its form: a string is its proto3 JSON text (lowerCamelCase,
/// sent as snake_case), an array holds the paths as they are, and no form sends a path that JSON cannot carry.
/// </summary>
public class FieldMaskValueTests
{
    [Theory]
    [InlineData("fooBar")]
    [InlineData("fooBar.bazQux,c")]
    [InlineData("a.b")]
    [InlineData("")]
    public void A_field_mask_string_sends_what_the_same_json_sends(string text)
    {
        FieldMask fromHashtable = SendMask(text);
        FieldMask fromJson = FieldMask.Parser.ParseFrom(DynamicCodec.Encode(ProtoJson.Parse(FieldMask.Descriptor, "\"" + text + "\"", null)));

        Assert.Equal(fromJson, fromHashtable);
    }

    [Fact]
    public void A_field_mask_string_is_camel_case_and_may_have_spaces_after_its_commas()
    {
        Assert.Equal(new[] { "foo_bar.baz_qux", "c" }, SendMask("fooBar.bazQux, c").Paths);
    }

    [Fact]
    public void A_field_mask_array_holds_paths_as_a_response_gives_them()
    {
        Assert.Equal(new[] { "foo_bar.baz_qux", "c" }, SendMask(new object[] { "foo_bar.baz_qux", "c" }).Paths);
    }

    [Theory]
    [InlineData("a,,b", "empty path")]
    [InlineData("a,", "empty path")]
    [InlineData("foo_bar", "contains '_'")]
    [InlineData("a..b", "not dotted field names")]
    [InlineData("1a", "not dotted field names")]
    [InlineData("a-b", "has '-'")]
    public void A_field_mask_string_json_would_refuse_is_refused(string text, string expected)
    {
        var error = RefusedMask(text);

        Assert.Contains("'mask'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Throws<ProtobufCodecException>(() => ProtoJson.Parse(FieldMask.Descriptor, "\"" + text + "\"", null));
    }

    [Theory]
    [InlineData("fooBar", "upper-case")]
    [InlineData("", "empty")]
    [InlineData("a__b", "'_' not followed by a lower-case letter")]
    [InlineData("a_1", "'_' not followed by a lower-case letter")]
    [InlineData("a.", "not dotted field names")]
    public void A_field_mask_path_with_no_json_form_is_refused_in_an_array_and_as_fields(string path, string expected)
    {
        var inArray = RefusedMask(new object[] { "a", path });
        var asFields = RefusedMask(new Hashtable { ["paths"] = new object[] { "a", path } });

        Assert.Contains("'mask[1]'", inArray.Message, StringComparison.Ordinal);
        Assert.Contains(expected, inArray.Message, StringComparison.Ordinal);
        Assert.Contains("'mask.paths[1]'", asFields.Message, StringComparison.Ordinal);
        Assert.Contains(expected, asFields.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_path_is_refused_not_sent_as_an_empty_one()
    {
        var error = RefusedMask(new object?[] { "a", null, string.Empty });

        Assert.Contains("'mask[1]'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("fooBar")]
    public void A_response_path_with_no_json_form_cannot_be_written_as_json(string path)
    {
        var mask = new FieldMask { Paths = { "a", path } };

        Assert.Throws<ProtobufCodecException>(() => ProtoJson.Format(DynamicCodec.Decode(FieldMask.Descriptor, mask.ToByteArray())));
    }

    private static FieldMask SendMask(object value) =>
        WellKnown.Parser.ParseFrom(DynamicCodec.Encode(Builder.Build(WellKnown.Descriptor, new Hashtable { ["mask"] = value }))).Mask ?? new FieldMask();

    private static PluginException RefusedMask(object value)
    {
        var error = Assert.Throws<PluginException>(() => Builder.Build(WellKnown.Descriptor, new Hashtable { ["mask"] = value }));
        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
        return error;
    }
}
