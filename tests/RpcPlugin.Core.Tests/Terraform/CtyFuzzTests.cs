using System;
using System.Linq;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Terraform;
using RpcPlugin.Core.Tests.Fuzz;
using Xunit.Abstractions;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>
/// The cty codec against random types, schemas and values: what encodes decodes, and decoding then encoding again
/// gives the very same bytes (so a state read from a provider goes back to it unchanged); mutated msgpack, and
/// random type JSON, fail only with InvalidResponse, and whatever decodes encodes again.
/// </summary>
[Collection(FuzzRunner.Collection)]
public class CtyFuzzTests
{
    private const int Seed = 17_017;
    private const int Cases = 6_000;

    private static readonly string[] TypeWords = { "list", "set", "map", "object", "tuple", "string", "number", "bool", "dynamic", "a" };

    private readonly ITestOutputHelper output;

    public CtyFuzzTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Fact]
    public void Random_values_round_trip_through_msgpack_to_the_same_bytes()
    {
        FuzzSummary summary = FuzzRunner.Run(nameof(Random_values_round_trip_through_msgpack_to_the_same_bytes), Seed, Cases, fuzzCase =>
        {
            Random random = fuzzCase.Random;
            CtyType type = CtyRandom.Type(random, random.Next(4));
            object? value = CtyRandom.Value(random, type, 4);
            fuzzCase.Input(() => $"type {type.ToJson()}, value {Describe(value)}");
            RoundTrip(fuzzCase, bytes => CtyCodec.Decode(type, bytes), v => CtyCodec.Encode(type, v, RecordAdapter.Instance), value);
        }, output);

        AssertMix(summary);
    }

    [Fact]
    public void Random_schema_blocks_round_trip_through_msgpack_to_the_same_bytes()
    {
        FuzzSummary summary = FuzzRunner.Run(nameof(Random_schema_blocks_round_trip_through_msgpack_to_the_same_bytes), Seed + 1, Cases / 3, fuzzCase =>
        {
            Random random = fuzzCase.Random;
            string json = CtyRandom.BlockJson(random, 2);
            fuzzCase.Input("schema block", json);
            SchemaBlock block = ProviderSchema.FromResponse(SchemaJson.Response(6, "{\"provider\":{\"block\":" + json + "}}")).Provider.Block;
            object? value = CtyRandom.BlockValue(random, block, 3);
            fuzzCase.Input(() => $"schema {json}, value {Describe(value)}");
            RoundTrip(fuzzCase, bytes => CtyCodec.Decode(block.ImpliedType, bytes), v => CtyCodec.Encode(block, v, RecordAdapter.Instance), value);
        }, output);

        AssertMix(summary);
    }

    [Fact]
    public void Mutated_msgpack_fails_only_with_invalid_response_and_what_decodes_encodes()
    {
        FuzzSummary summary = FuzzRunner.Run(nameof(Mutated_msgpack_fails_only_with_invalid_response_and_what_decodes_encodes), Seed + 2, Cases, fuzzCase =>
        {
            Random random = fuzzCase.Random;
            CtyType type = CtyRandom.Type(random, random.Next(4));
            byte[] bytes;
            try
            {
                bytes = CtyCodec.Encode(type, CtyRandom.Value(random, type, 4), RecordAdapter.Instance);
            }
            catch (PluginException)
            {
                bytes = new byte[random.Next(8)];
                random.NextBytes(bytes);
            }

            byte[] mutated = WireFuzzBytes(random, bytes);
            fuzzCase.Input(() => $"type {type.ToJson()}, msgpack {Show.Hex(mutated)}");
            object? value;
            try
            {
                value = CtyCodec.Decode(type, mutated);
            }
            catch (PluginException e) when (e.Code == PluginErrorCode.InvalidResponse)
            {
                fuzzCase.Outcome("rejected");
                return;
            }

            CtyCodec.Encode(type, value, RecordAdapter.Instance);
            fuzzCase.Outcome("ok");
        }, output);

        if (!summary.Partial)
        {
            Assert.True(summary.Count("rejected") > Cases / 10, summary.ToString());
            Assert.True(summary.Count("ok") > Cases / 20, summary.ToString());
        }
    }

    [Fact]
    public void Random_type_json_fails_only_with_invalid_response()
    {
        FuzzSummary summary = FuzzRunner.Run(nameof(Random_type_json_fails_only_with_invalid_response), Seed + 3, Cases, fuzzCase =>
        {
            Random random = fuzzCase.Random;
            string json = CtyRandom.Type(random, 3).ToJson();
            string mutated = random.Next(3) == 0 ? Mutate.Text(random, 30) : JsonFuzz.TreeEdits(random, json, TypeWords);
            fuzzCase.Input("type JSON", mutated);
            try
            {
                CtyType type = CtyType.Parse(mutated);
                Assert.Equal(type, CtyType.Parse(type.ToJson()));
                fuzzCase.Outcome("ok");
            }
            catch (PluginException e) when (e.Code == PluginErrorCode.InvalidResponse)
            {
                fuzzCase.Outcome("rejected");
            }
        }, output);

        if (!summary.Partial)
        {
            Assert.True(summary.Count("rejected") > Cases / 10, summary.ToString());
        }
    }

    private static void RoundTrip(FuzzCase fuzzCase, Func<byte[], object?> decode, Func<object?, byte[]> encode, object? value)
    {
        byte[] first;
        try
        {
            first = encode(value);
        }
        catch (PluginException e) when (e.Code == PluginErrorCode.InvalidRequest)
        {
            // Only lists, sets and maps of dynamic whose elements have different types are refused.
            if (!e.Message.Contains("needs one element type", StringComparison.Ordinal))
            {
                throw FuzzCase.Fail($"a valid value was refused: {e.Message}");
            }

            fuzzCase.Outcome("rejected");
            return;
        }

        object? decoded = decode(first);
        byte[] second = encode(decoded);
        if (!first.AsSpan().SequenceEqual(second))
        {
            throw FuzzCase.Fail($"decoding and encoding again changed the bytes:\n{Show.Hex(first)}\n{Show.Hex(second)}\ndecoded: {Describe(decoded)}");
        }

        fuzzCase.Outcome("ok");
    }

    private static byte[] WireFuzzBytes(Random random, byte[] bytes)
    {
        byte[] copy = bytes.ToArray();
        switch (random.Next(4))
        {
            case 0 when copy.Length > 0:
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
                return copy;
            case 1 when copy.Length > 0:
                return copy[..random.Next(copy.Length)];
            case 2:
                var inserted = copy.ToList();
                inserted.Insert(random.Next(copy.Length + 1), (byte)random.Next(256));
                return inserted.ToArray();
            default:
                for (int i = random.Next(1, 4); i > 0 && copy.Length > 0; i--)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
        }
    }

    private static void AssertMix(FuzzSummary summary)
    {
        if (!summary.Partial)
        {
            Assert.True(summary.Count("ok") > summary.Cases * 8 / 10, summary.ToString());
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string text => Show.Text(text),
        Record record => "{" + string.Join(", ", record.Properties.Select(p => $"{p.Name}={Describe(p.Value)}")) + "}",
        System.Collections.IDictionary map => "@{" + string.Join("; ", map.Keys.Cast<object>().Select(k => $"{k}={Describe(map[k])}")) + "}",
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
        IFormattable number => $"{number.ToString(null, System.Globalization.CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => $"{value} ({value.GetType().Name})",
    };
}
