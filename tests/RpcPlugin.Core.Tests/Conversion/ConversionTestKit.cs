using System.Collections;
using Google.Protobuf;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Tests.Codec;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>
/// Builds AllTypes requests the way the cmdlets do and reads them back with the generated code, an independent
/// oracle for what goes on the wire.
/// </summary>
internal static class ConversionTestKit
{
    public static readonly MessageBuilder Builder = new(PlainValueAdapter.Instance, name => OracleMessages.Resolve(name[(name.LastIndexOf('/') + 1)..]));

    /// <summary>Builds an AllTypes from a request value and parses its encoding with the generated code.</summary>
    public static AllTypes Send(object request) =>
        AllTypes.Parser.ParseFrom(DynamicCodec.Encode(Builder.Build(AllTypes.Descriptor, request)));

    /// <summary>Builds AllTypes with one field set to a value.</summary>
    public static AllTypes SendField(string field, object? value) => Send(new Hashtable { [field] = value });

    /// <summary>The InvalidRequest error a request fails with.</summary>
    public static PluginException Refused(object request)
    {
        var error = Assert.Throws<PluginException>(() => Builder.Build(AllTypes.Descriptor, request));
        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
        return error;
    }

    /// <summary>An AllTypes as the converter gets it from the wire.</summary>
    public static DynamicMessage Decoded(AllTypes message) => DynamicCodec.Decode(AllTypes.Descriptor, message.ToByteArray());
}
