using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using RpcPlugin.Core.Codec;
using RpcPlugin.TestPlugin.Protos;
using static RpcPlugin.Core.Tests.Conversion.ConversionTestKit;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>
/// A field given twice is refused in every request form, naming the field, as proto3 JSON parsers refuse it
/// (issue 14, item 5): the last value silently winning sent something other than what the user read.
/// </summary>
public class DuplicateFieldTests
{
    public static TheoryData<string, object> Requests() => new()
    {
        { "f_int32", Ordered(("f_int32", 1), ("fInt32", 2)) },
        { "f_int32", Ordered(("F_INT32", 1), ("fint32", 2)) },
        { "f_int32", Ordered(("f_int32", null), ("fInt32", 2)) },
        { "o_string", Ordered(("o_string", "a"), ("oString", "b")) },
        { "f_nested.name", Ordered(("f_nested", Ordered(("name", "a"), ("NAME", "b")))) },
        { "r_nested[1].value", Ordered(("r_nested", new object[] { Ordered(("value", 1)), Ordered(("value", 1), ("Value", 2)) })) },
        { "m_nested[7]", Ordered(("m_nested", new Hashtable { [7] = new Hashtable(), ["7"] = new Hashtable() })) },
        { "m_nested[7]", Ordered(("m_nested", new Dictionary<object, object> { [7L] = new Hashtable(), [7.0] = new Hashtable() })) },
        { "m_bool[True]", Ordered(("m_bool", new Hashtable { [true] = "a", ["True"] = "b" })) },
        { "m_string[1]", Ordered(("m_string", new Hashtable { [1] = "a", ["1"] = "b" })) },
        { "w_struct[1]", Ordered(("w_struct", new Hashtable { [1] = "a", ["1"] = "b" })) },
        { "w_any.1", Ordered(("w_any", new Hashtable { ["@type"] = "type.googleapis.com/testplugin.Nested", [1] = "a", ["1"] = "b" })) },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void A_field_given_twice_is_refused_naming_it(string path, object request)
    {
        var error = Refused(request);

        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_members_of_one_oneof_are_still_refused_as_such()
    {
        var error = Refused(Ordered(("o_string", "a"), ("o_int32", 1)));

        Assert.Contains("both members of oneof 'choice'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Struct_keys_that_differ_only_in_case_are_two_keys()
    {
        var fields = new Dictionary<string, object>(StringComparer.Ordinal) { ["a"] = 1, ["A"] = 2 };

        AllTypes sent = Send(Ordered(("w_struct", fields)));

        Assert.Equal(2, sent.WStruct.Fields.Count);
    }

    [Theory]
    [InlineData("{\"fInt32\":1,\"f_int32\":2}")]
    [InlineData("{\"fInt32\":null,\"f_int32\":2}")]
    [InlineData("{\"mNested\":{\"7\":{},\"07\":{}}}")]
    [InlineData("{\"mBool\":{\"true\":\"a\",\"true\":\"b\"}}")]
    [InlineData("{\"wStruct\":{\"a\":1,\"a\":2}}")]
    public void Json_with_a_field_or_key_given_twice_is_refused(string json)
    {
        var error = Assert.Throws<ProtobufCodecException>(() => ProtoJson.Parse(AllTypes.Descriptor, json, null));

        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
    }

    private static OrderedDictionary Ordered(params (string Name, object? Value)[] fields)
    {
        // A case-sensitive dictionary, so that names differing only in case reach the builder as two keys.
        var result = new OrderedDictionary(StringComparer.Ordinal);
        foreach ((string name, object? value) in fields)
        {
            result.Add(name, value);
        }

        return result;
    }
}
