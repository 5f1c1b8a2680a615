using System.Linq;
using Google.Protobuf;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec.Proto2;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>The binary codec against Google.Protobuf's generated code for the same messages.</summary>
public class BinaryOracleTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Generated_AllTypes_bytes_decode_to_the_same_values_and_encode_back_byte_for_byte(int oneofChoice)
    {
        AllTypes expected = OracleMessages.FullAllTypes(oneofChoice);
        byte[] bytes = expected.ToByteArray();

        DynamicMessage decoded = DynamicCodec.Decode(AllTypes.Descriptor, bytes);
        byte[] encoded = DynamicCodec.Encode(decoded);

        DynamicComparer.AssertEqual(GeneratedBridge.ToDynamic(expected), decoded);
        Assert.Equal(bytes, encoded);
        Assert.Equal(expected, AllTypes.Parser.ParseFrom(encoded));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void AllTypes_built_dynamically_encodes_to_bytes_the_generated_type_parses_equal(int oneofChoice)
    {
        AllTypes expected = OracleMessages.FullAllTypes(oneofChoice);
        DynamicMessage built = GeneratedBridge.ToDynamic(expected);

        byte[] encoded = DynamicCodec.Encode(built);

        Assert.Equal(expected, AllTypes.Parser.ParseFrom(encoded));
        Assert.Equal(expected.ToByteArray(), encoded);
        Assert.Equal(encoded.Length, DynamicCodec.CalculateSize(built));
    }

    [Fact]
    public void Generated_proto2_bytes_with_groups_defaults_and_packed_fields_round_trip()
    {
        Scalars expected = OracleMessages.FullScalars();
        byte[] bytes = expected.ToByteArray();

        DynamicMessage decoded = DynamicCodec.Decode(Scalars.Descriptor, bytes);
        byte[] encoded = DynamicCodec.Encode(decoded);

        DynamicComparer.AssertEqual(GeneratedBridge.ToDynamic(expected), decoded);
        Assert.Equal(bytes, encoded);
        Assert.Equal(expected, Scalars.Parser.ParseFrom(encoded));
    }

    [Fact]
    public void Proto2_message_built_dynamically_encodes_to_bytes_the_generated_type_parses_equal()
    {
        Scalars expected = OracleMessages.FullScalars();
        DynamicMessage built = GeneratedBridge.ToDynamic(expected);

        byte[] encoded = DynamicCodec.Encode(built);

        Assert.Equal(expected, Scalars.Parser.ParseFrom(encoded));
        Assert.Equal(expected.ToByteArray(), encoded);
    }

    [Fact]
    public void Decoded_message_holds_documented_value_types()
    {
        DynamicMessage decoded = DynamicCodec.Decode(AllTypes.Descriptor, OracleMessages.FullAllTypes().ToByteArray());
        var fields = AllTypes.Descriptor.Fields;

        Assert.IsType<int>(decoded[fields[AllTypes.FInt32FieldNumber]]);
        Assert.IsType<ulong>(decoded[fields[AllTypes.FFixed64FieldNumber]]);
        Assert.IsType<int>(decoded[fields[AllTypes.FEnumFieldNumber]]);
        Assert.IsType<byte[]>(decoded[fields[AllTypes.FBytesFieldNumber]]);
        Assert.IsType<System.Collections.Generic.List<int>>(decoded[fields[AllTypes.RInt32FieldNumber]]);
        Assert.IsType<System.Collections.Generic.List<double>>(decoded[fields[AllTypes.RDoubleFieldNumber]]);
        Assert.IsType<System.Collections.Generic.List<DynamicMessage>>(decoded[fields[AllTypes.RNestedFieldNumber]]);
        Assert.IsType<System.Collections.Specialized.OrderedDictionary>(decoded[fields[AllTypes.MNestedFieldNumber]]);
        Assert.Equal(new[] { 0, -1, int.MaxValue }, decoded.GetMap(fields[AllTypes.MNestedFieldNumber]).Keys.Cast<int>());
    }
}
