using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec;
using RpcPlugin.TestPlugin.Protos;
using Xunit.Abstractions;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// proto3 JSON parsing against mutations of what Google.Protobuf's JsonFormatter writes for random messages, and
/// against random JSON (issue 7, Security): <see cref="ProtoJson.Parse(MessageDescriptor, string, Func{string, MessageDescriptor?}?, ProtoJsonParseOptions?)"/>
/// either succeeds or throws <see cref="ProtobufCodecException"/>. What parses must encode, and format as JSON
/// that parses back to the same message.
/// </summary>
[Collection(FuzzRunner.Collection)]
public class ProtoJsonFuzzTests
{
    private const int Seed = 7_003;
    private const int Cases = 20_000;

    private static readonly JsonFormatter GoogleFormatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(OracleMessages.Registry));
    private static readonly JsonFormatter GoogleDefaultsFormatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(OracleMessages.Registry).WithFormatDefaultValues(true));
    private static readonly (MessageDescriptor Type, string Json, IMessage Oracle)[] Corpus = MakeCorpus();
    private static readonly string[] Names = AllNames();

    private readonly ITestOutputHelper output;

    public ProtoJsonFuzzTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Fact]
    public void Proto_json_parse_fails_only_with_codec_exceptions_and_round_trips_what_it_accepts()
    {
        // Made before the clock starts: formatting the corpus with Google.Protobuf takes a while.
        Assert.NotEmpty(Corpus);
        Assert.NotEmpty(Names);

        FuzzSummary summary = FuzzRunner.Run(nameof(ProtoJsonFuzzTests), Seed, Cases, Check, output);

        if (summary.Partial)
        {
            return;
        }

        Assert.Equal(Cases, summary.Cases);
        Assert.True(summary.Count("ok") > Cases / 20, summary.ToString());
        Assert.True(summary.Count("rejected") > Cases / 5, summary.ToString());
    }

    private static void Check(FuzzCase fuzzCase)
    {
        Random random = fuzzCase.Random;
        (MessageDescriptor type, string json, IMessage oracle) = Corpus[random.Next(Corpus.Length)];
        string kind;
        // Shares per 48. Valid documents (a full round trip) and deep nesting (an error unwinding a hundred levels)
        // are the slow cases, so they get small shares.
        int choice = random.Next(48);
        if (choice == 0)
        {
            kind = "valid";
        }
        else if (choice <= 13)
        {
            (json, kind) = (Mutate.TextEdits(random, json, 4, JsonFuzz.Tokens), "character edits");
        }
        else if (choice <= 29)
        {
            (json, kind) = (TreeEdits(random, json), "tree edits");
        }
        else if (choice <= 33)
        {
            (json, kind) = (json[..random.Next(json.Length + 1)], "truncated");
        }
        else if (choice <= 37)
        {
            (json, kind) = (JsonFuzz.RandomValue(random, Names, random.Next(5)), "random value");
        }
        else if (choice == 38)
        {
            // Deep nesting where the type allows it (Value, Struct, ListValue, Nested chains) and where it does not.
            type = AllTypes.Descriptor;
            int depth = random.Next(3) == 0 ? random.Next(200, 5_000) : random.Next(20, 200);
            string deep = JsonFuzz.DeepText(depth, objects: random.Next(2) == 0, closed: random.Next(8) != 0);
            json = random.Next(4) switch
            {
                0 => "{\"wValue\":" + deep + "}",
                1 => "{\"wStruct\":{\"k\":" + deep + "}}",
                2 => "{\"wListValue\":" + deep + "}",
                _ => "{\"fNested\":" + NestedChainJson(depth) + "}",
            };
            kind = $"nested {depth}";
        }
        else
        {
            (json, kind) = (Mutate.TextEdits(random, TreeEdits(random, json), 2, JsonFuzz.Tokens), "tree and character edits");
        }

        var options = new ProtoJsonParseOptions
        {
            IgnoreUnknownFields = random.Next(4) == 0,
            RecursionLimit = random.Next(5) == 0 ? random.Next(0, 120) : DynamicCodec.DefaultRecursionLimit,
        };
        fuzzCase.Input(() => $"{kind} JSON for {type.FullName} (ignore unknown fields: {options.IgnoreUnknownFields}, recursion limit {options.RecursionLimit}), {json.Length} chars: {Show.Text(json)}");
        DynamicMessage parsed;
        try
        {
            parsed = ProtoJson.Parse(type, json, OracleMessages.Resolve, options);
        }
        catch (ProtobufCodecException e)
        {
            if (kind == "valid" && options.RecursionLimit == DynamicCodec.DefaultRecursionLimit)
            {
                throw FuzzCase.Fail($"JSON written by Google.Protobuf was rejected: {e.Message}");
            }

            fuzzCase.Outcome("rejected");
            return;
        }

        CheckParsed(type, parsed, options, kind == "valid" ? oracle : null);
        fuzzCase.Outcome("ok");
    }

    /// <summary>What parses encodes within the same recursion limit; it formats as JSON that parses back to an equal message.</summary>
    private static void CheckParsed(MessageDescriptor type, DynamicMessage parsed, ProtoJsonParseOptions options, IMessage? oracle)
    {
        byte[] bytes;
        try
        {
            bytes = DynamicCodec.Encode(parsed, options.RecursionLimit);
        }
        catch (ProtobufCodecException e)
        {
            throw FuzzCase.Fail($"the parsed message does not encode within the same recursion limit ({options.RecursionLimit}): {e.Message}");
        }

        string formatted;
        try
        {
            formatted = ProtoJson.Format(parsed, new ProtoJsonFormatOptions { TypeResolver = OracleMessages.Resolve, RecursionLimit = 10_000 });
        }
        catch (ProtobufCodecException)
        {
            // A Timestamp or Duration parsed from another spelling can be out of JSON's range.
            return;
        }

        DynamicMessage again;
        try
        {
            again = ProtoJson.Parse(type, formatted, OracleMessages.Resolve, new ProtoJsonParseOptions { RecursionLimit = 10_000 });
        }
        catch (ProtobufCodecException e)
        {
            throw FuzzCase.Fail($"our own formatting does not parse: {e.Message}\nformatted: {Show.Text(formatted)}");
        }

        if (DynamicComparer.Difference(parsed, again) is { } difference)
        {
            throw FuzzCase.Fail($"formatting and parsing again changes the message: {difference}\nformatted: {Show.Text(formatted)}");
        }

        if (oracle is not null && !oracle.Equals(type.Parser.ParseFrom(bytes)))
        {
            throw FuzzCase.Fail("JSON written by Google.Protobuf parses to another message than the one it was written from");
        }
    }

    private static string TreeEdits(Random random, string json) => JsonFuzz.TreeEdits(random, json, Names);

    private static string NestedChainJson(int depth)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            text.Append("{\"name\":\"n\",\"child\":");
        }

        text.Append("{}");
        text.Append('}', depth);
        return text.ToString();
    }

    private static (MessageDescriptor, string, IMessage)[] MakeCorpus()
    {
        var messages = new List<IMessage> { OracleMessages.FullAllTypes(0), OracleMessages.FullAllTypes(1), OracleMessages.FullAllTypes(2), new AllTypes() };
        var random = new RandomMessages(seed: 70_030);
        for (int i = 0; i < 200; i++)
        {
            // Mostly AllTypes; every tenth another test type (proto2 groups, map keys, well-known types...).
            MessageDescriptor type = i % 10 == 9 ? RandomRoundTripTests.Types[random.Next(RandomRoundTripTests.Types.Length)] : AllTypes.Descriptor;
            messages.Add(type.Parser.ParseFrom(DynamicCodec.Encode(random.Create(type, depth: random.Next(4)))));
        }

        return messages.Select((m, i) => (m.Descriptor, (i % 3 == 0 ? GoogleDefaultsFormatter : GoogleFormatter).Format(m), m)).ToArray();
    }

    /// <summary>Proto and JSON names of every field of the test types, for renames and random objects.</summary>
    private static string[] AllNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "@type", "value", "seconds", "nanos", "paths", "fields" };
        foreach (MessageDescriptor type in RandomRoundTripTests.Types)
        {
            foreach (FieldDescriptor field in type.Fields.InDeclarationOrder())
            {
                names.Add(field.Name);
                names.Add(field.JsonName);
            }
        }

        return names.Order(StringComparer.Ordinal).ToArray();
    }
}
