using System;
using System.Collections.Generic;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec.Proto2;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>
/// Truncated and mutated encodings either decode or fail with ProtobufCodecException: never another exception,
/// never a hang. What decodes must also encode, decode again to the same message, and format as JSON or fail
/// with ProtobufCodecException.
/// </summary>
public class FuzzTests
{
    [Fact]
    public void Truncations_and_mutations_of_valid_encodings_fail_only_with_codec_exceptions()
    {
        var random = new Random(4_242);
        List<(MessageDescriptor Type, byte[] Bytes)> corpus = Corpus();
        int cases = 0;

        foreach ((MessageDescriptor type, byte[] bytes) in corpus.GetRange(0, 4))
        {
            for (int length = 0; length < bytes.Length; length++)
            {
                Check(type, bytes.AsSpan(0, length).ToArray());
                cases++;
            }
        }

        for (int i = 0; i < 6_000; i++)
        {
            (MessageDescriptor type, byte[] bytes) = corpus[random.Next(corpus.Count)];
            Check(type, Mutate(random, bytes, corpus[random.Next(corpus.Count)].Bytes));
            cases++;
        }

        Assert.True(cases > 5_000);
    }

    private static void Check(MessageDescriptor type, byte[] input)
    {
        DynamicMessage decoded;
        try
        {
            decoded = DynamicCodec.Decode(type, input);
        }
        catch (ProtobufCodecException)
        {
            return;
        }
        catch (Exception e)
        {
            Assert.Fail($"{type.Name} input {Convert.ToHexString(input)} threw {e}");
            return;
        }

        byte[] encoded = DynamicCodec.Encode(decoded);
        DynamicComparer.AssertEqual(decoded, DynamicCodec.Decode(type, encoded));
        try
        {
            ProtoJson.Format(decoded, new ProtoJsonFormatOptions { TypeResolver = OracleMessages.Resolve });
        }
        catch (ProtobufCodecException)
        {
            // Valid binary can hold values JSON cannot (a Timestamp out of range, an Any of garbage).
        }
    }

    private static byte[] Mutate(Random random, byte[] bytes, byte[] other)
    {
        var result = new List<byte>(bytes);
        for (int edits = random.Next(1, 4); edits > 0 && result.Count > 0; edits--)
        {
            int at = random.Next(result.Count);
            switch (random.Next(5))
            {
                case 0:
                    result[at] = (byte)random.Next(256);
                    break;
                case 1:
                    result[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    result.Insert(at, (byte)random.Next(256));
                    break;
                case 3:
                    result.RemoveRange(at, Math.Min(result.Count - at, random.Next(1, 8)));
                    break;
                default:
                    int from = random.Next(other.Length);
                    result.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, random.Next(1, 16))).ToArray());
                    break;
            }
        }

        return result.ToArray();
    }

    private static List<(MessageDescriptor, byte[])> Corpus()
    {
        var corpus = new List<(MessageDescriptor, byte[])>
        {
            (AllTypes.Descriptor, OracleMessages.FullAllTypes(0).ToByteArray()),
            (Scalars.Descriptor, OracleMessages.FullScalars().ToByteArray()),
            (AllTypes.Descriptor, OracleMessages.FullAllTypes(2).ToByteArray()),
            (Nested.Descriptor, OracleMessages.Chain("deep", 20).ToByteArray()),
        };
        var random = new RandomMessages(seed: 99);
        for (int i = 0; i < 60; i++)
        {
            MessageDescriptor type = RandomRoundTripTests.Types[i % RandomRoundTripTests.Types.Length];
            corpus.Add((type, DynamicCodec.Encode(random.Create(type, depth: 3))));
        }

        return corpus;
    }
}
