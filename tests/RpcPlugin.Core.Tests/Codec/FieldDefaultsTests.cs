using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec.Proto2;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Codec;

public class FieldDefaultsTests
{
    public static TheoryData<string> DefaultsFields()
    {
        var data = new TheoryData<string>();
        foreach (FieldDescriptor field in Defaults.Descriptor.Fields.InDeclarationOrder())
        {
            data.Add(field.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DefaultsFields))]
    public void Proto2_default_matches_what_generated_code_reads_for_an_absent_field(string fieldName)
    {
        FieldDescriptor field = Defaults.Descriptor.FindFieldByName(fieldName);
        object generated = field.Accessor.GetValue(new Defaults());
        object expected = generated switch
        {
            ByteString bytes => bytes.ToByteArray(),
            Enum value => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => generated,
        };

        object? actual = FieldDefaults.For(field);

        Assert.NotNull(actual);
        Assert.Equal(expected.GetType(), actual.GetType());
        if (expected is double d)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)actual));
        }
        else if (expected is float f)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(f), BitConverter.SingleToInt32Bits((float)actual));
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Proto2_defaults_read_escapes_extremes_and_enum_names()
    {
        object? Default(string name) => FieldDefaults.For(Defaults.Descriptor.FindFieldByName(name));

        Assert.Equal("tab\there \"quoted\" back\\slash ünïcöde", Default("d_string"));
        Assert.Equal(new byte[] { 0, 1, 2, 0xFF, (byte)'a', (byte)'b', (byte)'c', (byte)'\n', (byte)'"', (byte)'\'' }, Default("d_bytes"));
        Assert.Equal(long.MinValue, Default("d_int64"));
        Assert.Equal(ulong.MaxValue, Default("d_uint64"));
        Assert.Equal(0x1234U, Default("d_fixed32"));
        Assert.Equal(-16, Default("d_int32_hex"));
        Assert.Equal(15L, Default("d_int64_octal"));
        Assert.Equal(float.PositiveInfinity, Default("d_float_inf"));
        Assert.Equal(double.NegativeInfinity, Default("d_double_neg_inf"));
        Assert.True(double.IsNaN((double)Default("d_double_nan")!));
        Assert.True(double.IsNegative((double)Default("d_double_neg_zero")!));
        Assert.Equal(3, Default("d_enum"));
        Assert.Equal(-1, Default("d_enum_negative"));
    }

    [Fact]
    public void Proto2_enum_without_default_reads_as_its_first_value_not_zero()
    {
        Assert.Equal((int)Level.Low, FieldDefaults.For(Defaults.Descriptor.FindFieldByName("no_default_enum")));
        Assert.Equal(1, (int)Level.Low);
    }

    [Fact]
    public void Proto3_fields_default_to_zero_empty_and_null_for_messages()
    {
        var fields = AllTypes.Descriptor.Fields;

        Assert.Equal(0, FieldDefaults.For(fields[AllTypes.FInt32FieldNumber]));
        Assert.Equal(0UL, FieldDefaults.For(fields[AllTypes.FUint64FieldNumber]));
        Assert.Equal(0F, FieldDefaults.For(fields[AllTypes.FFloatFieldNumber]));
        Assert.Equal(false, FieldDefaults.For(fields[AllTypes.FBoolFieldNumber]));
        Assert.Equal(string.Empty, FieldDefaults.For(fields[AllTypes.FStringFieldNumber]));
        Assert.Equal(Array.Empty<byte>(), FieldDefaults.For(fields[AllTypes.FBytesFieldNumber]));
        Assert.Equal(0, FieldDefaults.For(fields[AllTypes.FEnumFieldNumber]));
        Assert.Null(FieldDefaults.For(fields[AllTypes.FNestedFieldNumber]));
        Assert.Null(FieldDefaults.For(fields[AllTypes.WInt32FieldNumber]));
    }

    [Fact]
    public void Repeated_and_map_fields_default_to_new_empty_typed_collections()
    {
        var fields = AllTypes.Descriptor.Fields;

        Assert.IsType<List<double>>(FieldDefaults.For(fields[AllTypes.RDoubleFieldNumber]));
        Assert.IsType<List<DynamicMessage>>(FieldDefaults.For(fields[AllTypes.RNestedFieldNumber]));
        Assert.IsType<OrderedDictionary>(FieldDefaults.For(fields[AllTypes.MNestedFieldNumber]));
        Assert.NotSame(FieldDefaults.For(fields[AllTypes.RInt32FieldNumber]), FieldDefaults.For(fields[AllTypes.RInt32FieldNumber]));
    }

    [Fact]
    public void Bytes_default_is_a_fresh_copy_each_time()
    {
        FieldDescriptor field = Defaults.Descriptor.FindFieldByName("d_bytes");
        var first = (byte[])FieldDefaults.For(field)!;
        first[0] = 99;

        Assert.Equal(0, ((byte[])FieldDefaults.For(field)!)[0]);
    }

    [Fact]
    public void Invalid_default_text_in_a_descriptor_is_a_codec_error_naming_the_field()
    {
        var file = new FileDescriptorProto
        {
            Name = "bad_default.proto",
            Package = "bad",
            Syntax = "proto2",
            MessageType =
            {
                new DescriptorProto
                {
                    Name = "Bad",
                    Field =
                    {
                        new FieldDescriptorProto
                        {
                            Name = "count",
                            Number = 1,
                            Label = FieldDescriptorProto.Types.Label.Optional,
                            Type = FieldDescriptorProto.Types.Type.Int32,
                            DefaultValue = "lots",
                        },
                    },
                },
            },
        };
        FileDescriptor built = FileDescriptor.BuildFromByteStrings(new[] { file.ToByteString() })[0];

        var error = Assert.Throws<ProtobufCodecException>(() => FieldDefaults.For(built.MessageTypes[0].Fields[1]));

        Assert.Contains("'lots'", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad.Bad.count", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoding_an_empty_message_leaves_fields_absent_while_defaults_say_what_a_reader_sees()
    {
        DynamicMessage empty = DynamicCodec.Decode(Defaults.Descriptor, ReadOnlySpan<byte>.Empty);
        FieldDescriptor field = Defaults.Descriptor.FindFieldByName("d_int32");

        Assert.Null(empty[field]);
        Assert.False(empty.Has(field));
        Assert.Equal(-42, FieldDefaults.For(field));
    }
}
