using System;
using System.Collections.Generic;
using RpcPlugin.Core.Codec;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>Values that do not fit their fields are reported with the field path, before anything is written.</summary>
public class EncodeErrorTests
{
    [Fact]
    public void Wrong_scalar_type_names_the_field_and_the_expected_type()
    {
        var message = new DynamicMessage(AllTypes.Descriptor);
        message[AllTypes.Descriptor.FindFieldByNumber(AllTypes.FInt64FieldNumber)] = 5;

        var error = Assert.Throws<ProtobufCodecException>(() => DynamicCodec.Encode(message));

        Assert.Equal("f_int64", error.FieldPath);
        Assert.Contains("int64 value must be a Int64, not a Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_list_type_names_the_list_type_needed()
    {
        var message = new DynamicMessage(AllTypes.Descriptor);
        message[AllTypes.Descriptor.FindFieldByNumber(AllTypes.RInt32FieldNumber)] = new List<object> { 1 };

        var error = Assert.Throws<ProtobufCodecException>(() => DynamicCodec.Encode(message));

        Assert.Equal("r_int32", error.FieldPath);
        Assert.Contains("List<Int32>, not a List<Object>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_message_type_inside_a_list_names_the_element()
    {
        var message = new DynamicMessage(AllTypes.Descriptor);
        List<DynamicMessage> list = message.GetList<DynamicMessage>(AllTypes.Descriptor.FindFieldByNumber(AllTypes.RNestedFieldNumber));
        list.Add(new DynamicMessage(Nested.Descriptor));
        list.Add(new DynamicMessage(EchoRequest.Descriptor));

        var error = Assert.Throws<ProtobufCodecException>(() => DynamicCodec.CalculateSize(message));

        Assert.Equal("r_nested[1]", error.FieldPath);
        Assert.Contains("testplugin.EchoRequest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_map_value_type_names_the_key()
    {
        var message = new DynamicMessage(AllTypes.Descriptor);
        message.GetMap(AllTypes.Descriptor.FindFieldByNumber(AllTypes.MInt64FieldNumber))["k"] = "not a long";

        Assert.Equal("m_int64[k]", Assert.Throws<ProtobufCodecException>(() => DynamicCodec.Encode(message)).FieldPath);
    }

    [Fact]
    public void A_message_that_contains_itself_fails_with_the_recursion_limit_instead_of_overflowing_the_stack()
    {
        var message = new DynamicMessage(Nested.Descriptor);
        message[Nested.Descriptor.FindFieldByNumber(3)] = message;

        var error = Assert.Throws<ProtobufCodecException>(() => DynamicCodec.Encode(message));

        Assert.Contains("recursion limit of 100", error.Message, StringComparison.Ordinal);
    }
}
