using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// The inputs <see cref="CodecBinaryFuzzTests"/> decodes: valid encodings written by generated code, and those
/// truncated, mutated, spliced, length-forged or read as another type; structured-random and random bytes; deep
/// nesting at and past the recursion limit.
/// </summary>
internal static class CodecBinaryInputs
{
    public static readonly MessageDescriptor[] Types = RandomRoundTripTests.Types;
    public static readonly Sample[] Valid = ValidCorpus();
    public static readonly Sample[] Deep = DeepCorpus();

    /// <summary>One input: the valid sample it was made from, the type to decode it as, the bytes and their kind.</summary>
    public static (Sample Sample, MessageDescriptor Type, byte[] Input, string Kind) Next(Random random)
    {
        Sample sample = Valid[random.Next(Valid.Length)];
        MessageDescriptor type = sample.Type;
        byte[] input;
        string kind;
        // Shares per thousand. Valid documents (a full oracle comparison) and deep nesting (an error there unwinds
        // through a hundred levels, about 0.3 ms) are the slow cases, so they get small shares.
        int share = random.Next(1000);
        if (share < 30)
        {
            (input, kind) = (sample.Bytes, "valid");
        }
        else if (share < 130)
        {
            (input, kind) = (sample.Bytes.AsSpan(0, random.Next(sample.Bytes.Length + 1)).ToArray(), "truncated");
        }
        else if (share < 340)
        {
            (input, kind) = (Mutate.BytesEdits(random, sample.Bytes, Valid[random.Next(Valid.Length)].Bytes), "mutated");
        }
        else if (share < 410)
        {
            byte[] other = Valid[random.Next(Valid.Length)].Bytes;
            (input, kind) = (sample.Bytes.AsSpan(0, random.Next(sample.Bytes.Length + 1)).ToArray().Concat(other.AsSpan(random.Next(other.Length + 1)).ToArray()).ToArray(), "spliced");
        }
        else if (share < 550)
        {
            (input, kind) = (ForgeLength(random, sample.Bytes), "forged length");
        }
        else if (share < 620)
        {
            (input, kind) = (Mutate.RandomBytes(random, random.Next(random.Next(20) == 0 ? 4_000 : 64)), "random bytes");
        }
        else if (share < 840)
        {
            type = Types[random.Next(Types.Length)];
            (input, kind) = (WireFuzz.RandomMessage(random, type, random.Next(6)), "structured random");
        }
        else if (share < 845)
        {
            Sample deep = Deep[random.Next(Deep.Length)];
            type = deep.Type;
            (input, kind) = (random.Next(2) == 0 ? deep.Bytes : Mutate.BytesEdits(random, deep.Bytes, deep.Bytes), "deep");
        }
        else if (share < 850)
        {
            // Nesting by hand: consistent or lying lengths, or groups of an unknown field, around the limit and far past it.
            type = Nested.Descriptor;
            int depth = random.Next(3) == 0 ? random.Next(200, 3_000) : random.Next(90, 110);
            (input, kind) = (random.Next(3) switch
            {
                0 => WireFuzz.NestedChain(depth, consistentLengths: random.Next(4) != 0),
                1 => WireFuzz.NestedGroups(random.Next(4, 100), depth, closed: random.Next(2) == 0),
                _ => WireFuzz.NestedGroups(3, depth, closed: true),
            }, $"nested {depth}");
        }
        else
        {
            // The bytes of one type read as another.
            type = Types[random.Next(Types.Length)];
            kind = "other type";
            input = random.Next(2) == 0 ? sample.Bytes : Mutate.BytesEdits(random, sample.Bytes, sample.Bytes);
        }

        return (sample, type, input, kind);
    }

    /// <summary>Replaces one length prefix in the encoding with a lie: off by one, zero, or huge.</summary>
    private static byte[] ForgeLength(Random random, byte[] bytes)
    {
        List<(int Offset, int Size, int Length)> prefixes = WireFuzz.LengthPrefixes(bytes);
        if (prefixes.Count == 0)
        {
            return Mutate.BytesEdits(random, bytes, bytes);
        }

        (int offset, int size, int length) = prefixes[random.Next(prefixes.Count)];
        ulong forged = random.Next(4) switch
        {
            0 => (ulong)length + 1,
            1 => length > 0 ? (ulong)length - 1 : 1,
            2 => (ulong)random.Next(length + 64),
            _ => Mutate.InterestingLength(random),
        };
        return bytes.AsSpan(0, offset).ToArray().Concat(Mutate.Varint(forged)).Concat(bytes.AsSpan(offset + size).ToArray()).ToArray();
    }

    /// <summary>Encodings written by generated code: the full oracle messages, chains, and seeded random messages of every test type.</summary>
    private static Sample[] ValidCorpus()
    {
        var messages = new List<IMessage>
        {
            OracleMessages.FullAllTypes(0), OracleMessages.FullAllTypes(1), OracleMessages.FullAllTypes(2), OracleMessages.FullScalars(),
            OracleMessages.Chain("deep", 1), OracleMessages.Chain("deep", 2), OracleMessages.Chain("deep", 30), OracleMessages.Chain("deep", 99),
            new AllTypes(), new Codec.Proto2.Scalars(),
        };
        var random = new RandomMessages(seed: 70_020);
        for (int i = 0; i < 260; i++)
        {
            MessageDescriptor type = Types[i % Types.Length];
            messages.Add(type.Parser.ParseFrom(DynamicCodec.Encode(random.Create(type, depth: random.Next(4)))));
        }

        return messages.Select(m => new Sample(m.Descriptor, m.ToByteArray(), m)).ToArray();
    }

    /// <summary>Chains at and past the recursion limit (100 nested messages), for mutation.</summary>
    private static Sample[] DeepCorpus() => new[] { 99, 100, 101, 102, 150 }
        .Select(depth => new Sample(Nested.Descriptor, OracleMessages.Chain("d", depth).ToByteArray(), null))
        .ToArray();

    /// <summary>An encoding, and for those written by generated code the message it was written from.</summary>
    internal sealed record Sample(MessageDescriptor Type, byte[] Bytes, IMessage? Oracle);
}
