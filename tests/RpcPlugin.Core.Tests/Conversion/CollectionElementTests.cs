using System;
using System.Collections;
using System.Collections.Generic;
using Google.Protobuf;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Tests.Codec;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>
/// Every element of a collection goes through the host's adapter, as PowerShell wraps each pipeline output in a
/// PSObject: `65, 66 | % { $_ }` or Get-Content -AsByteStream gave bytes the converter could not read.
/// </summary>
public class CollectionElementTests
{
    private static readonly MessageBuilder Wrapping = new(new WrappingAdapter(), name => OracleMessages.Resolve(name[(name.LastIndexOf('/') + 1)..]));

    [Fact]
    public void Wrapped_elements_are_read_in_bytes_repeated_fields_maps_and_wrappers()
    {
        var request = new Hashtable
        {
            ["f_bytes"] = Wrapped(65, 66),
            ["r_bytes"] = Wrap(new object[] { Wrapped(1, 2), Wrap("AwQ=") }),
            ["r_int32"] = Wrapped(1, 2),
            ["r_int32_unpacked"] = Wrapped(3L),
            ["r_string"] = Wrapped("a", "b"),
            ["r_double"] = Wrapped(1.5, "2"),
            ["r_enum"] = Wrapped("RED", 3),
            ["m_int64"] = new Hashtable { [Wrap("a")] = Wrap(5) },
            ["m_string"] = new Hashtable { ["k"] = Wrap("v") },
            ["w_bytes"] = Wrapped((byte)7, 8),
            ["w_list_value"] = Wrapped(1, "x"),
        };

        AllTypes sent = AllTypes.Parser.ParseFrom(DynamicCodec.Encode(Wrapping.Build(AllTypes.Descriptor, request)));

        Assert.Equal(new byte[] { 65, 66 }, sent.FBytes.ToByteArray());
        Assert.Equal(new[] { ByteString.CopyFrom(1, 2), ByteString.CopyFrom(3, 4) }, sent.RBytes);
        Assert.Equal(new[] { 1, 2 }, sent.RInt32);
        Assert.Equal(new[] { 3 }, sent.RInt32Unpacked);
        Assert.Equal(new[] { "a", "b" }, sent.RString);
        Assert.Equal(new[] { 1.5, 2.0 }, sent.RDouble);
        Assert.Equal(new[] { Color.Red, Color.Blue }, sent.REnum);
        Assert.Equal(5L, sent.MInt64["a"]);
        Assert.Equal("v", sent.MString["k"]);
        Assert.Equal(new byte[] { 7, 8 }, sent.WBytes.ToByteArray());
        Assert.Equal(2, sent.WListValue.Values.Count);
    }

    [Fact]
    public void A_wrapped_byte_out_of_range_is_named_by_its_index()
    {
        var error = Assert.Throws<RpcPlugin.Core.Errors.PluginException>(() => Wrapping.Build(AllTypes.Descriptor, new Hashtable { ["f_bytes"] = Wrapped(1, 300) }));

        Assert.Contains("'f_bytes[1]'", error.Message, StringComparison.Ordinal);
        Assert.Contains("300 is out of range", error.Message, StringComparison.Ordinal);
    }

    private static Wrapper Wrap(object value) => new(value);

    private static Wrapper Wrapped(params object[] items) => new(Array.ConvertAll(items, item => (object)new Wrapper(item)));

    /// <summary>A stand-in for PSObject: a box the adapter sees through.</summary>
    private sealed record Wrapper(object Value);

    private sealed class WrappingAdapter : IValueAdapter
    {
        public object? Unwrap(object? value) => value is Wrapper wrapper ? wrapper.Value : value;

        public bool TryGetProperties(object value, out IEnumerable<KeyValuePair<string, object?>> properties)
        {
            properties = Array.Empty<KeyValuePair<string, object?>>();
            return false;
        }
    }
}
