using System;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec.Proto2;
using RpcPlugin.Core.Tests.Codec.Proto3;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>Seeded random messages through the codec and through generated code, compared both ways.</summary>
public class RandomRoundTripTests
{
    internal static readonly MessageDescriptor[] Types =
    {
        AllTypes.Descriptor, Scalars.Descriptor, Defaults.Descriptor, Child.Descriptor, Extendable.Descriptor,
        Packed.Descriptor, Unpacked.Descriptor, MapKeys.Descriptor, Sparse.Descriptor, Proto3.Tree.Descriptor,
        Optionals.Descriptor, WellKnown.Descriptor, Nested.Descriptor,
    };

    [Fact]
    public void Ten_thousand_random_messages_agree_with_generated_code_both_ways()
    {
        var random = new RandomMessages(seed: 20_240_501);
        for (int i = 0; i < 10_000; i++)
        {
            MessageDescriptor type = Types[i % Types.Length];
            DynamicMessage message = random.Create(type, depth: random.Next(4));

            byte[] encoded = DynamicCodec.Encode(message);
            IMessage generated = type.Parser.ParseFrom(encoded);
            byte[] generatedBytes = generated.ToByteArray();
            DynamicMessage decoded = DynamicCodec.Decode(type, generatedBytes);

            string context = $"message {i} ({type.Name})";
            Assert.True(GeneratedBridge.ToGenerated(message, type.ClrType).Equals(generated), $"{context}: generated parse differs from the values encoded");
            Assert.True(encoded.AsSpan().SequenceEqual(generatedBytes), $"{context}: bytes differ from generated code's\n{Convert.ToHexString(encoded)}\n{Convert.ToHexString(generatedBytes)}");
            Assert.True(DynamicComparer.Difference(message, decoded) is null, $"{context}: {DynamicComparer.Difference(message, decoded)}");
            Assert.Equal(encoded.Length, DynamicCodec.CalculateSize(decoded));
        }

    }
}
