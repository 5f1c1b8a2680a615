using System;
using System.Collections;
using System.Numerics;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Codec;
using RpcPlugin.TestPlugin.Protos;
using static RpcPlugin.Core.Tests.Conversion.ConversionTestKit;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>
/// Numbers in a google.protobuf.Value (alone, in a Struct or a ListValue) are number_value, a double, whatever
/// their .NET type; NaN, infinities and integers the double would change are refused, in requests of both forms,
/// and a response holding NaN or an infinity is not written as JSON text that would read back as a string.
/// </summary>
public class ValueNumberTests
{
    public static TheoryData<object, double> ExactNumbers => new()
    {
        { (byte)1, 1 }, { (sbyte)-1, -1 }, { (short)-2, -2 }, { (ushort)2, 2 }, { -3, -3 }, { 3U, 3 },
        { 9_007_199_254_740_992L, 9_007_199_254_740_992d }, { long.MinValue, -9_223_372_036_854_775_808d }, { 5UL, 5 },
        { new BigInteger(5), 5 }, { (Int128)(-5), -5 }, { (UInt128)5, 5 }, { 1.5m, 1.5 }, { 9_007_199_254_740_992m, 9_007_199_254_740_992d },
        { (Half)1.5, 1.5 }, { 1.5f, 1.5 }, { 0.1, 0.1 }, { 1e300, 1e300 },
    };

    public static TheoryData<object> InexactNumbers => new()
    {
        9_007_199_254_740_993L, -9_007_199_254_740_993L, long.MaxValue, ulong.MaxValue, BigInteger.Pow(10, 400),
        BigInteger.Parse("9007199254740993", System.Globalization.CultureInfo.InvariantCulture), Int128.MaxValue, UInt128.MaxValue,
        9_007_199_254_740_993m, 9_007_199_254_740_993.5m, decimal.MaxValue,
    };

    public static TheoryData<object> NotFinite => new() { double.NaN, double.PositiveInfinity, double.NegativeInfinity, float.NaN, Half.PositiveInfinity };

    [Theory]
    [MemberData(nameof(ExactNumbers))]
    public void A_number_of_any_dotnet_type_is_a_number_value(object number, double expected)
    {
        AllTypes sent = Send(new Hashtable { ["w_value"] = number, ["w_struct"] = new Hashtable { ["n"] = number }, ["w_list_value"] = new[] { number } });

        Assert.Equal(Value.KindOneofCase.NumberValue, sent.WValue.KindCase);
        Assert.Equal(expected, sent.WValue.NumberValue);
        Assert.Equal(expected, sent.WStruct.Fields["n"].NumberValue);
        Assert.Equal(expected, sent.WListValue.Values[0].NumberValue);
    }

    [Theory]
    [MemberData(nameof(InexactNumbers))]
    public void An_integer_a_double_would_change_is_refused_suggesting_a_string(object number)
    {
        var alone = Refused(new Hashtable { ["w_value"] = number });
        var inStruct = Refused(new Hashtable { ["w_struct"] = new Hashtable { ["id"] = number } });
        var inList = Refused(new Hashtable { ["w_list_value"] = new[] { number } });

        Assert.Contains("'w_value'", alone.Message, StringComparison.Ordinal);
        Assert.Contains("as a string", alone.Message, StringComparison.Ordinal);
        Assert.Contains("'w_struct[id]'", inStruct.Message, StringComparison.Ordinal);
        Assert.Contains("'w_list_value[0]'", inList.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NotFinite))]
    public void NaN_and_infinities_are_refused_in_a_value(object number)
    {
        var alone = Refused(new Hashtable { ["w_value"] = number });
        var inStruct = Refused(new Hashtable { ["w_struct"] = new Hashtable { ["x"] = number } });

        Assert.Contains("'w_value'", alone.Message, StringComparison.Ordinal);
        Assert.Contains("NaN and Infinity", alone.Message, StringComparison.Ordinal);
        Assert.Contains("'w_struct[x]'", inStruct.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_integer_a_double_would_change_is_refused_as_in_a_hashtable()
    {
        var error = Refused("{\"wStruct\":{\"id\":9007199254740993}}");

        Assert.Contains("9007199254740993", error.Message, StringComparison.Ordinal);
        Assert.Contains("as a string", error.Message, StringComparison.Ordinal);
        Assert.Equal(9_007_199_254_740_992d, Send("{\"wValue\":9007199254740992}").WValue.NumberValue);
        Assert.Equal(1e300, Send("{\"wValue\":1e300}").WValue.NumberValue);
        Assert.Equal(2.5, Send("{\"wValue\":2.5}").WValue.NumberValue);
    }

    [Fact]
    public void A_response_value_holding_nan_or_an_infinity_cannot_be_written_as_json()
    {
        var alone = new AllTypes { WValue = Value.ForNumber(double.NaN) };
        var inStruct = new AllTypes { WStruct = new Struct { Fields = { ["x"] = Value.ForNumber(double.PositiveInfinity) } } };

        var aloneError = Assert.Throws<ProtobufCodecException>(() => ProtoJson.Format(Decoded(alone)));
        var inStructError = Assert.Throws<ProtobufCodecException>(() => ProtoJson.Format(Decoded(inStruct)));

        Assert.Contains("wValue", aloneError.FieldPath, StringComparison.Ordinal);
        Assert.Contains("NaN", aloneError.Message, StringComparison.Ordinal);
        Assert.Contains("wStruct", inStructError.FieldPath, StringComparison.Ordinal);
    }
}
