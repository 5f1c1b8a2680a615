using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec;
using RpcPlugin.TestPlugin.Protos;
using Xunit.Abstractions;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// The binary codec against valid, truncated, mutated, spliced, length-forged, structured-random and random
/// input (issue 7, Security): Decode either succeeds or throws <see cref="ProtobufCodecException"/>; what decodes
/// re-encodes, and that encoding decodes and re-encodes to the same bytes; valid encodings made by generated code
/// always decode to what generated code reads; and no input makes the decoder allocate more than a constant per
/// input byte (plus a fixed allowance), so a forged length cannot make it allocate what the input does not hold.
/// </summary>
[Collection(FuzzRunner.Collection)]
public class CodecBinaryFuzzTests
{
    private const int Seed = 7_002;
    private const int Cases = 100_000;

    /// <summary>
    /// Allocation allowed per input byte. The decoder's model costs a fixed amount per element it creates, and the
    /// cheapest element is an empty message in a repeated field: two input bytes (tag and zero length) become a
    /// DynamicMessage, its slot array and a list slot, about 146 bytes for a six-field message such as
    /// google.protobuf.Value (73 per input byte, measured by The_costliest_valid_shapes_allocate_a_bounded_constant_per_input_byte).
    /// So 64 bytes per input byte would reject a legitimate ListValue of empty Values; 128 holds every such shape
    /// with room, and is still a constant: nothing the input claims can raise it.
    /// </summary>
    private const int BytesPerInputByte = 128;

    /// <summary>
    /// Allocation allowed whatever the input: exceptions with their messages and stack traces, small buffers. The
    /// largest is the error at the recursion limit: it propagates through 100 nested frames, each of which puts
    /// its field in front of the path and rethrows, about 110 KB for a chain of 'child' fields. That is bounded by
    /// the limit, not by the input.
    /// </summary>
    private const int FixedAllowance = 256 * 1024;

    private readonly ITestOutputHelper output;

    public CodecBinaryFuzzTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Fact]
    public void Binary_decode_fails_only_with_codec_exceptions_round_trips_what_it_accepts_and_bounds_allocation()
    {
        WarmUp();
        var ratio = new MaxRatio();

        FuzzSummary summary = FuzzRunner.Run(nameof(CodecBinaryFuzzTests), Seed, Cases, fuzzCase => Check(fuzzCase, ratio), output);

        output.WriteLine(ratio.ToString());

        if (summary.Partial)
        {
            return;
        }

        Assert.Equal(Cases, summary.Cases);
        Assert.True(summary.Count("ok") > Cases / 10, summary.ToString());
        Assert.True(summary.Count("rejected") > Cases / 5, summary.ToString());
    }

    [Fact]
    public void Forged_lengths_of_every_size_allocate_nothing_like_what_they_claim()
    {
        WarmUp();
        var claims = new ulong[] { int.MaxValue, (ulong)int.MaxValue + 1, uint.MaxValue, long.MaxValue, ulong.MaxValue, 1UL << 40, 100_000_000 };
        foreach (MessageDescriptor type in CodecBinaryInputs.Types)
        {
            foreach (FieldDescriptor field in type.Fields.InDeclarationOrder())
            {
                foreach (ulong claim in claims)
                {
                    // Tag (as length-delimited), the forged length, and a few bytes of "content".
                    byte[] input = Mutate.Varint(((ulong)field.FieldNumber << 3) | 2).Concat(Mutate.Varint(claim)).Concat(new byte[] { 8, 1, 0x12, 0 }).ToArray();
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    var error = Assert.Throws<ProtobufCodecException>(() => DynamicCodec.Decode(type, input));
                    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    // The error and its message, nothing sized by the claim (the smallest claim here is 100 MB).
                    Assert.True(allocated < 64 * 1024, $"{type.Name}.{field.Name} with length {claim}: {allocated} bytes allocated");
                    Assert.NotNull(error.Offset);
                }
            }
        }
    }

    /// <summary>
    /// The shapes that cost the decoder most per input byte, 10,000 elements each: the bound holds for them, and
    /// the empty Values of a ListValue (about 73 bytes per input byte) show why 64 per byte would be too tight.
    /// </summary>
    [Fact]
    public void The_costliest_valid_shapes_allocate_a_bounded_constant_per_input_byte()
    {
        WarmUp();
        const int n = 10_000;
        var shapes = new (string Name, MessageDescriptor Type, byte[] Bytes)[]
        {
            ("ListValue of empty Values", AllTypes.Descriptor, LengthDelimited(54, Repeat(n, 0x0A, 0x00))),
            ("repeated empty Tree", Codec.Proto3.Tree.Descriptor, Repeat(n, 0x12, 0x00)),
            ("repeated empty Nested", AllTypes.Descriptor, Repeat(n, 0xD2, 0x01, 0x00)),
            ("map<int32, Nested> with distinct keys", AllTypes.Descriptor, Enumerable.Range(0, n).SelectMany(i => LengthDelimited(31, new byte[] { 0x08 }.Concat(Mutate.Varint((ulong)i)).ToArray())).ToArray()),
            ("Struct with distinct keys", AllTypes.Descriptor, LengthDelimited(52, Enumerable.Range(0, n).SelectMany(i => LengthDelimited(1, LengthDelimited(1, Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture))))).ToArray())),
            ("repeated empty groups", Codec.Proto2.Scalars.Descriptor, Repeat(n, 0xD3, 0x04, 0xD4, 0x04)),
            ("packed bools", AllTypes.Descriptor, LengthDelimited(20, Enumerable.Repeat((byte)1, n).ToArray())),
            ("unknown varint fields", AllTypes.Descriptor, Repeat(n, 0xF8, 0x07, 0x01)),
        };
        foreach ((string name, MessageDescriptor type, byte[] bytes) in shapes)
        {
            DynamicCodec.Decode(type, bytes);
            long before = GC.GetAllocatedBytesForCurrentThread();
            DynamicCodec.Decode(type, bytes);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            output.WriteLine($"{name}: {bytes.Length} bytes, {allocated} allocated, {allocated / (double)bytes.Length:F1} per byte");
            Assert.True(allocated < ((long)BytesPerInputByte * bytes.Length) + FixedAllowance, $"{name}: {allocated} bytes allocated for {bytes.Length} input bytes");
        }
    }

    private static byte[] Repeat(int count, params byte[] element) => Enumerable.Range(0, count).SelectMany(_ => element).ToArray();

    private static byte[] LengthDelimited(int number, byte[] content) =>
        Mutate.Varint(((ulong)number << 3) | 2).Concat(Mutate.Varint((ulong)content.Length)).Concat(content).ToArray();

    private static void Check(FuzzCase fuzzCase, MaxRatio ratio)
    {
        Random random = fuzzCase.Random;
        (CodecBinaryInputs.Sample sample, MessageDescriptor type, byte[] input, string kind) = CodecBinaryInputs.Next(random);
        fuzzCase.Input(() => $"{kind} input for {type.FullName}, {input.Length} bytes: {Show.Hex(input)}");
        DynamicMessage decoded;
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            decoded = DynamicCodec.Decode(type, input);
        }
        catch (ProtobufCodecException e)
        {
            CheckAllocation(before, input.Length, ratio);
            if (kind == "valid")
            {
                throw FuzzCase.Fail($"a valid encoding made by generated code was rejected: {e.Message}");
            }

            if (e.Offset is not { } offset || offset < 0 || offset > input.Length)
            {
                throw FuzzCase.Fail($"the error's offset {e.Offset} is not within the input: {e.Message}");
            }

            fuzzCase.Outcome("rejected");
            return;
        }

        CheckAllocation(before, input.Length, ratio);
        RoundTrip(type, decoded);
        if (kind == "valid" && !sample.Oracle!.Equals(sample.Type.Parser.ParseFrom(DynamicCodec.Encode(decoded))))
        {
            throw FuzzCase.Fail("a valid encoding decoded to values generated code does not read back");
        }

        if (random.Next(4) == 0)
        {
            FormatJson(decoded);
        }

        fuzzCase.Outcome("ok");
    }

    private static void CheckAllocation(long before, int inputLength, MaxRatio ratio)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long bound = ((long)BytesPerInputByte * inputLength) + FixedAllowance;
        ratio.Observe(allocated, inputLength);
        if (allocated > bound)
        {
            throw FuzzCase.Fail($"decoding {inputLength} bytes allocated {allocated} bytes, more than the bound of {bound} ({BytesPerInputByte} per input byte + {FixedAllowance})");
        }
    }

    /// <summary>What decodes must encode; that encoding must decode to an equal message and encode to the same bytes.</summary>
    private static void RoundTrip(MessageDescriptor type, DynamicMessage decoded)
    {
        byte[] first;
        DynamicMessage again;
        try
        {
            first = DynamicCodec.Encode(decoded);
        }
        catch (ProtobufCodecException e)
        {
            throw FuzzCase.Fail($"a decoded message does not encode: {e.Message}");
        }

        try
        {
            again = DynamicCodec.Decode(type, first);
        }
        catch (ProtobufCodecException e)
        {
            throw FuzzCase.Fail($"the re-encoding {Show.Hex(first)} does not decode: {e.Message}");
        }

        byte[] second = DynamicCodec.Encode(again);
        if (!first.AsSpan().SequenceEqual(second))
        {
            throw FuzzCase.Fail($"re-encoding is not idempotent:\n{Show.Hex(first)}\n{Show.Hex(second)}");
        }

        if (DynamicComparer.Difference(decoded, again) is { } difference)
        {
            throw FuzzCase.Fail($"the re-encoding decodes to a different message: {difference}");
        }

        if (DynamicCodec.CalculateSize(again) != first.Length)
        {
            throw FuzzCase.Fail($"CalculateSize says {DynamicCodec.CalculateSize(again)}, the encoding has {first.Length} bytes");
        }
    }

    private static void FormatJson(DynamicMessage decoded)
    {
        try
        {
            ProtoJson.Format(decoded, new ProtoJsonFormatOptions { TypeResolver = OracleMessages.Resolve });
        }
        catch (ProtobufCodecException)
        {
            // Valid binary can hold what JSON cannot: a Timestamp out of range, an Any of garbage or of an unknown type.
        }
    }

    /// <summary>Decodes every corpus entry once, so type tables and JIT work are not counted against the first cases.</summary>
    private static void WarmUp()
    {
        foreach (CodecBinaryInputs.Sample sample in CodecBinaryInputs.Valid.Concat(CodecBinaryInputs.Deep))
        {
            try
            {
                RoundTrip(sample.Type, DynamicCodec.Decode(sample.Type, sample.Bytes));
                FormatJson(DynamicCodec.Decode(sample.Type, sample.Bytes));
            }
            catch (ProtobufCodecException)
            {
                // Deep samples past the recursion limit.
            }
        }

        foreach (MessageDescriptor type in CodecBinaryInputs.Types)
        {
            for (int i = 0; i < 50; i++)
            {
                try
                {
                    DynamicCodec.Decode(type, WireFuzz.RandomMessage(new Random(i), type, 4));
                }
                catch (ProtobufCodecException)
                {
                }
            }
        }
    }

    /// <summary>The largest allocation seen, and the largest per input byte for inputs of 256 bytes or more, for the run's report.</summary>
    private sealed class MaxRatio
    {
        public long Bytes { get; private set; }

        public int BytesInput { get; private set; }

        public double PerByte { get; private set; }

        public int PerByteInput { get; private set; }

        public void Observe(long allocated, int inputLength)
        {
            if (allocated > Bytes)
            {
                (Bytes, BytesInput) = (allocated, inputLength);
            }

            if (inputLength >= 256 && allocated / (double)inputLength > PerByte)
            {
                (PerByte, PerByteInput) = (allocated / (double)inputLength, inputLength);
            }
        }

        public override string ToString() =>
            $"largest allocation {Bytes} bytes (for {BytesInput} input bytes); most per input byte {PerByte:F1} (for {PerByteInput} input bytes)";
    }
}
