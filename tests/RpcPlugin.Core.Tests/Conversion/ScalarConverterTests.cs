using System;
using System.Collections;
using System.Numerics;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Errors;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>What <see cref="ScalarConverter"/> accepts for each scalar kind, and what it refuses, by example.</summary>
public class ScalarConverterTests
{
    public static TheoryData<string, object, object> Accepted() => new()
    {
        { "f_int32", 42, 42 },
        { "f_int32", 42L, 42 },
        { "f_int32", (byte)42, 42 },
        { "f_int32", "-42", -42 },
        { "f_int32", " 42 ", 42 },
        { "f_int32", 42.0, 42 },
        { "f_int32", 42m, 42 },
        { "f_int32", new BigInteger(int.MinValue), int.MinValue },
        { "f_int32", DayOfWeek.Friday, 5 },
        { "f_int64", "9223372036854775807", long.MaxValue },
        { "f_sint64", -1e15, -1_000_000_000_000_000L },
        { "f_uint32", 4_294_967_295L, uint.MaxValue },
        { "f_uint64", "18446744073709551615", ulong.MaxValue },
        { "f_fixed64", ulong.MaxValue, ulong.MaxValue },
        { "f_float", 1.5, 1.5f },
        { "f_float", "NaN", float.NaN },
        { "f_double", "-Infinity", double.NegativeInfinity },
        { "f_double", "1e3", 1000.0 },
        { "f_double", 0.1m, 0.1 },
        { "f_double", 7, 7.0 },
        { "f_bool", true, true },
        { "f_string", "text", "text" },
        { "f_string", 'c', "c" },
        { "f_string", 1.5, "1.5" },
        { "f_string", 42L, "42" },
        { "f_string", false, "False" },
        { "f_enum", "green", 2 },
        { "f_enum", " BLUE ", 3 },
        { "f_enum", 3, 3 },
        { "f_enum", "7", 7 },
        { "f_enum", 99, 99 },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Converts_what_the_type_mapping_accepts(string field, object given, object expected)
    {
        object converted = ScalarConverter.Convert(Field(field), given, field, PlainValueAdapter.Instance);

        Assert.Equal(expected, converted);
        Assert.Equal(expected.GetType(), converted.GetType());
    }

    [Theory]
    [InlineData("f_int32", 1.5, "whole number")]
    [InlineData("f_int32", "abc", "whole number")]
    [InlineData("f_int32", 2_147_483_648L, "out of range for int32")]
    [InlineData("f_uint32", -1, "out of range for uint32")]
    [InlineData("f_uint64", "-1", "out of range for uint64")]
    [InlineData("f_int64", double.NaN, "whole number")]
    [InlineData("f_float", 1e39, "out of range for float")]
    [InlineData("f_double", "one", "'NaN'")]
    [InlineData("f_bool", "false", "a bool")]
    [InlineData("f_bool", 1, "a bool")]
    [InlineData("f_enum", "PURPLE", "valid names: COLOR_UNSPECIFIED, RED, GREEN, BLUE")]
    [InlineData("f_enum", 2.5, "enum testplugin.Color")]
    public void Refuses_with_a_message_naming_the_field_and_what_was_expected(string field, object given, string expected)
    {
        var error = Assert.Throws<PluginException>(() => ScalarConverter.Convert(Field(field), given, field, PlainValueAdapter.Instance));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_field_refuses_dates_rather_than_format_them_by_culture()
    {
        Assert.Throws<PluginException>(() => ScalarConverter.Convert(Field("f_string"), DateTime.UnixEpoch, "f_string", PlainValueAdapter.Instance));
        Assert.Throws<PluginException>(() => ScalarConverter.Convert(Field("f_string"), DateTimeOffset.UnixEpoch, "f_string", PlainValueAdapter.Instance));
    }

    [Fact]
    public void Bytes_come_from_byte_arrays_base64_of_either_alphabet_and_arrays_of_numbers()
    {
        FieldDescriptor bytes = Field("f_bytes");

        Assert.Equal(new byte[] { 1, 2 }, ScalarConverter.Convert(bytes, new byte[] { 1, 2 }, "f_bytes", PlainValueAdapter.Instance));
        Assert.Equal(new byte[] { 0xfb, 0xff }, ScalarConverter.Convert(bytes, "+/8=", "f_bytes", PlainValueAdapter.Instance));
        Assert.Equal(new byte[] { 0xfb, 0xff }, ScalarConverter.Convert(bytes, "-_8", "f_bytes", PlainValueAdapter.Instance));
        Assert.Equal(new byte[] { 0, 255, 7 }, ScalarConverter.Convert(bytes, new object[] { 0, 255L, "7" }, "f_bytes", PlainValueAdapter.Instance));
        Assert.Equal(Array.Empty<byte>(), ScalarConverter.Convert(bytes, string.Empty, "f_bytes", PlainValueAdapter.Instance));
    }

    [Theory]
    [InlineData("not base64!", "f_bytes")]
    [InlineData(5, "f_bytes")]
    public void Bytes_errors_say_every_form_that_is_accepted(object given, string path)
    {
        var error = Assert.Throws<PluginException>(() => ScalarConverter.Convert(Field("f_bytes"), given, path, PlainValueAdapter.Instance));

        Assert.Contains("a byte[], a base64 string or an array of numbers 0-255", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_refuse_a_dictionary_and_name_the_element_out_of_range()
    {
        var dictionary = Assert.Throws<PluginException>(() => ScalarConverter.Convert(Field("f_bytes"), new Hashtable { ["a"] = 1 }, "f_bytes", PlainValueAdapter.Instance));
        var element = Assert.Throws<PluginException>(() => ScalarConverter.Convert(Field("f_bytes"), new[] { 1, 2, 300 }, "f_bytes", PlainValueAdapter.Instance));

        Assert.Contains("'f_bytes'", dictionary.Message, StringComparison.Ordinal);
        Assert.Contains("'f_bytes[2]'", element.Message, StringComparison.Ordinal);
        Assert.Contains("300 is out of range", element.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_value_is_quoted_by_its_start_and_length()
    {
        var error = Assert.Throws<PluginException>(() => ScalarConverter.Convert(Field("f_bytes"), new string('!', 100_000), "f_bytes", PlainValueAdapter.Instance));

        Assert.True(error.Message.Length < 400, error.Message);
        Assert.Contains("100000 characters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("m_bool", "true", true)]
    [InlineData("m_bool", "False", false)]
    [InlineData("m_nested", "7", 7)]
    [InlineData("mk_uint64", "18446744073709551615", ulong.MaxValue)]
    [InlineData("mk_sint64", -8.0, -8L)]
    public void Map_keys_are_converted_to_the_key_type(string map, object given, object expected)
    {
        FieldDescriptor key = Field(map).MessageType.FindFieldByNumber(1);

        Assert.Equal(expected, ScalarConverter.Key(key, given, map));
    }

    private static FieldDescriptor Field(string name) =>
        AllTypes.Descriptor.FindFieldByName(name) ?? throw new ArgumentException($"AllTypes has no field {name}.", nameof(name));
}
