using System;
using System.Collections;
using System.Numerics;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Tests.Codec;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>
/// Numbers are sent exactly or refused, the same in a hashtable and in JSON: no value beyond a type's range turns
/// into ±Infinity, and no integer goes through a double on the way (which rounded 2^53 + 1 and dropped fractions).
/// </summary>
public class NumberTextTests
{
    public static TheoryData<string, string, string, object> SentExactly() => new()
    {
        // field, hashtable value (a string), JSON value (as written in the JSON), what is sent
        { "f_int64", "9007199254740993.0", "\"9007199254740993.0\"", 9007199254740993L },
        { "f_int64", "9007199254740993", "9007199254740993.0", 9007199254740993L },
        { "f_int64", "9007199254740993", "9007199254740993", 9007199254740993L },
        { "f_int64", "-9223372036854775808.000", "\"-9223372036854775808.000\"", long.MinValue },
        { "f_uint64", "18446744073709551615.0", "\"18446744073709551615.0\"", ulong.MaxValue },
        { "f_uint64", "1.8446744073709551615e19", "1.8446744073709551615e19", ulong.MaxValue },
        { "f_int32", "1e2", "1e2", 100 },
        { "f_int32", "1e2", "\"1e2\"", 100 },
        { "f_int32", "2.0", "\"2.0\"", 2 },
        { "f_int32", "-0.0", "-0.0", 0 },
        { "f_int32", "1500e-1", "1500e-1", 150 },
        { "f_uint32", "4294967295.00", "4294967295.00", uint.MaxValue },
        { "f_float", "3.4028235E+38", "3.4028235E+38", float.MaxValue },
        { "f_float", "Infinity", "\"Infinity\"", float.PositiveInfinity },
        { "f_double", "-Infinity", "\"-Infinity\"", double.NegativeInfinity },
        { "f_double", "NaN", "\"NaN\"", double.NaN },
        { "f_double", "1e-400", "1e-400", 0.0 },
    };

    [Theory]
    [MemberData(nameof(SentExactly))]
    public void A_number_is_sent_exactly_from_a_hashtable_and_from_json(string field, string hashtable, string json, object expected)
    {
        FieldDescriptor descriptor = Field(field);

        object fromHashtable = ScalarConverter.Convert(descriptor, hashtable, field, PlainValueAdapter.Instance);
        DynamicMessage fromJson = ProtoJson.Parse(AllTypes.Descriptor, $"{{\"{descriptor.JsonName}\": {json}}}", OracleMessages.Resolve);

        Assert.Equal(expected, fromHashtable);
        Assert.Equal(expected, fromJson[descriptor]);
    }

    public static TheoryData<string, string, string, string> Refused() => new()
    {
        // field, hashtable value (a string), JSON value (as written in the JSON), what the error says
        { "f_double", "1e400", "\"1e400\"", "out of range for double" },
        { "f_double", "-1e400", "-1e400", "out of range for double" },
        { "f_float", "1e400", "\"1e400\"", "out of range for float" },
        { "f_float", "1e39", "1e39", "out of range for float" },
        { "f_float", "-3.5e38", "\"-3.5e38\"", "out of range for float" },
        { "f_int32", "2.00000000000000001", "\"2.00000000000000001\"", "whole number" },
        { "f_int32", "2.00000000000000001", "2.00000000000000001", "whole number" },
        { "f_int64", "9007199254740993.5", "9007199254740993.5", "whole number" },
        { "f_int32", "1e-400", "1e-400", "whole number" },
        { "f_int32", "2147483648.0", "\"2147483648.0\"", "out of range for int32" },
        { "f_uint64", "18446744073709551616.0", "18446744073709551616.0", "out of range for uint64" },
        { "f_uint64", "-1.0", "\"-1.0\"", "out of range for uint64" },
        { "f_int64", "1e400", "1e400", "out of range for int64" },
        { "f_int64", "1e999999999999", "\"1e999999999999\"", "out of range for int64" },
        { "f_int64", "1.5e-999999999999", "1.5e-999999999999", "whole number" },
        { "f_int32", "0x10", "\"0x10\"", "for int32, got" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_number_out_of_range_or_with_a_fraction_is_refused_in_both_forms(string field, string hashtable, string json, string expected)
    {
        FieldDescriptor descriptor = Field(field);

        var fromHashtable = Assert.Throws<PluginException>(() => ScalarConverter.Convert(descriptor, hashtable, field, PlainValueAdapter.Instance));
        var fromJson = Assert.Throws<ProtobufCodecException>(() => ProtoJson.Parse(AllTypes.Descriptor, $"{{\"{descriptor.JsonName}\": {json}}}", OracleMessages.Resolve));

        Assert.Contains(expected, fromHashtable.Message, StringComparison.Ordinal);
        Assert.Contains(expected, fromJson.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, object, string> RefusedValues() => new()
    {
        { "f_double", BigInteger.Pow(10, 400), "out of range for double" },
        { "f_float", BigInteger.Pow(10, 400), "out of range for float" },
        { "f_float", BigInteger.Pow(10, 39), "1000000000000000000000000000000000000000 is out of range for float" },
        { "f_float", 1e39, "out of range for float" },
        { "f_int32", 2.5, "whole number" },
        { "f_int32", 2.5m, "whole number" },
        { "f_int64", 1e19, "out of range for int64" },
    };

    [Theory]
    [MemberData(nameof(RefusedValues))]
    public void A_typed_number_out_of_range_or_with_a_fraction_is_refused(string field, object given, string expected)
    {
        var error = Assert.Throws<PluginException>(() => ScalarConverter.Convert(Field(field), given, field, PlainValueAdapter.Instance));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 300, error.Message);
    }

    [Fact]
    public void Explicit_infinities_are_still_sent()
    {
        Assert.Equal(double.PositiveInfinity, ScalarConverter.Convert(Field("f_double"), double.PositiveInfinity, "f_double", PlainValueAdapter.Instance));
        Assert.Equal(float.NegativeInfinity, ScalarConverter.Convert(Field("f_float"), double.NegativeInfinity, "f_float", PlainValueAdapter.Instance));
        Assert.Equal(double.PositiveInfinity, ScalarConverter.Convert(Field("f_double"), " infinity ", "f_double", PlainValueAdapter.Instance));
    }

    [Fact]
    public void A_wrapper_and_a_repeated_double_refuse_overflow_too()
    {
        var wrapper = ConversionTestKit.Refused(new Hashtable { ["w_double"] = "1e400" });
        var repeated = ConversionTestKit.Refused(new Hashtable { ["r_double"] = new object[] { 1, "1e400" } });

        Assert.Contains("'w_double'", wrapper.Message, StringComparison.Ordinal);
        Assert.Contains("out of range for double", wrapper.Message, StringComparison.Ordinal);
        Assert.Contains("'r_double[1]'", repeated.Message, StringComparison.Ordinal);
    }

    private static FieldDescriptor Field(string name) =>
        AllTypes.Descriptor.FindFieldByName(name) ?? throw new ArgumentException($"AllTypes has no field {name}.", nameof(name));
}
