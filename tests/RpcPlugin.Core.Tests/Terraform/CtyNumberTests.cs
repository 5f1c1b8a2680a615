using System.Numerics;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Terraform;
using static RpcPlugin.Core.Tests.Terraform.CtyTestValues;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>Numbers both ways, at the edges of long, ulong and double precision.</summary>
public class CtyNumberTests
{
    private static readonly CtyType Number = CtyType.Number;

    public static TheoryData<object, string> Encodings => new()
    {
        { 1, "01" },
        { -1, "ff" },
        { (byte)200, "ccc8" },
        { 300L, "cd012c" },
        { 3.0, "03" },
        { 0.1, "cb3fb999999999999a" },
        { 1e308, "cb7fe1ccf385ebc8a0" },
        { double.PositiveInfinity, "cb7ff0000000000000" },
        { 0.5m, "cb3fe0000000000000" },
        { 0.1m, "a3302e31" },
        { 12m, "0c" },
        { BigInteger.Pow(2, 63), "b3" + Hex(System.Text.Encoding.ASCII.GetBytes("9223372036854775808")) },
        { ulong.MaxValue, "b4" + Hex(System.Text.Encoding.ASCII.GetBytes("18446744073709551615")) },
        { BigInteger.Pow(2, 64) + 1, "b4" + Hex(System.Text.Encoding.ASCII.GetBytes("18446744073709551617")) },
        { "42", "2a" },
        { "1e3", "cd03e8" },
        { "0.25", "cb3fd0000000000000" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Numbers_travel_as_ints_exact_floats_or_decimal_text_like_terraforms_own(object value, string hex)
    {
        Assert.Equal(hex, Hex(CtyCodec.Encode(Number, value)));
    }

    public static TheoryData<string, object> Decodings => new()
    {
        { "01", 1L },
        { "d38000000000000000", long.MinValue },
        { "cf7fffffffffffffff", long.MaxValue },
        { "cf8000000000000000", BigInteger.Pow(2, 63) },
        { "cfffffffffffffffff", (BigInteger)ulong.MaxValue },
        { "cb4000000000000000", 2L },
        { "cb3fb999999999999a", 0.1 },
        { "ca3fc00000", 1.5 },
        { "cb7fe1ccf385ebc8a0", 1e308 },
        { "cb43e0000000000000", 9.2233720368547758E18 },
        { "a3302e31", "0.1" },
        { "a3302e35", 0.5 },
        { "a3316533", 1000L },
        { "b4" + Hex(System.Text.Encoding.ASCII.GetBytes("18446744073709551617")), BigInteger.Pow(2, 64) + 1 },
        { "bf" + Hex(System.Text.Encoding.ASCII.GetBytes("1.23456789012345678901234567891")), "1.23456789012345678901234567891" },
        { "a42b496e66", double.PositiveInfinity },
    };

    [Theory]
    [MemberData(nameof(Decodings))]
    public void Numbers_read_as_long_bigint_double_or_text_when_no_double_holds_them_exactly(string hex, object expected)
    {
        object? value = CtyCodec.Decode(Number, Bytes(hex));

        Assert.Equal(expected, value);
        Assert.IsType(expected.GetType(), value);
    }

    [Fact]
    public void A_decimal_no_double_holds_goes_as_text_and_comes_back_as_the_same_text()
    {
        Assert.Equal("0.1", CtyCodec.Decode(Number, CtyCodec.Encode(Number, 0.1m)));

        decimal precise = 1.234567890123456789012345678m;

        object? back = CtyCodec.Decode(Number, CtyCodec.Encode(Number, precise));

        Assert.Equal("1.234567890123456789012345678", back);
        Assert.Equal(precise, decimal.Parse((string)back!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("123456789012345678901234567890.5")]
    [InlineData("-0.0000000000000000000000000000012345678901234567890123")]
    public void Number_text_beyond_a_double_survives_a_round_trip_digit_for_digit(string text)
    {
        Assert.Equal(text, CtyCodec.Decode(Number, CtyCodec.Encode(Number, text)));
    }

    [Fact]
    public void Every_integer_type_round_trips_to_long_or_bigint()
    {
        Assert.Equal(-5L, RoundTrip("\"number\"", (sbyte)-5));
        Assert.Equal(65535L, RoundTrip("\"number\"", ushort.MaxValue));
        Assert.Equal((long)uint.MaxValue, RoundTrip("\"number\"", uint.MaxValue));
        Assert.Equal(long.MinValue, RoundTrip("\"number\"", long.MinValue));
        Assert.Equal((BigInteger)ulong.MaxValue, RoundTrip("\"number\"", ulong.MaxValue));
        Assert.Equal(BigInteger.Pow(10, 40), RoundTrip("\"number\"", BigInteger.Pow(10, 40)));
        Assert.Equal(2.5, RoundTrip("\"number\"", 2.5f));
    }

    [Theory]
    [InlineData(double.NaN, "NaN is not a number")]
    [InlineData("twelve", "'twelve', which is not one")]
    [InlineData("0x10", "which is not one")]
    [InlineData(true, "expected a number, got a Boolean")]
    public void A_value_that_is_not_a_number_is_an_invalid_request(object value, string message)
    {
        var error = Assert.Throws<PluginException>(() => CtyCodec.Encode(Number, value, path: "config.port"));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
        Assert.Contains("'config.port'", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("a3616263", "'abc' is not a number")]
    [InlineData("cb7ff8000000000000", "NaN")]
    [InlineData("c3", "expected a number, got a msgpack boolean")]
    public void Provider_output_that_is_not_a_number_is_an_invalid_response(string hex, string message)
    {
        var error = Assert.Throws<PluginException>(() => CtyCodec.Decode(Number, Bytes(hex), "state.port"));

        Assert.Equal(PluginErrorCode.InvalidResponse, error.Code);
        Assert.Contains("'state.port'", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Numbers_become_text_where_a_string_is_expected_as_in_terraform()
    {
        Assert.Equal("0.1", RoundTrip("\"string\"", 0.1));
        Assert.Equal("42", RoundTrip("\"string\"", 42));
        Assert.Equal("18446744073709551617", RoundTrip("\"string\"", BigInteger.Pow(2, 64) + 1));
        Assert.Equal("true", RoundTrip("\"string\"", true));
    }
}
