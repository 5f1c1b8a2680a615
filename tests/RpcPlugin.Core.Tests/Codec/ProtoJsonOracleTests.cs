using System;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec.Proto2;
using RpcPlugin.Core.Tests.Codec.Proto3;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>The JSON mapping against Google.Protobuf's JsonFormatter and JsonParser.</summary>
public class ProtoJsonOracleTests
{
    private static readonly JsonFormatter GoogleFormatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(OracleMessages.Registry));
    private static readonly JsonFormatter GoogleDefaultsFormatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(OracleMessages.Registry).WithFormatDefaultValues(true));
    private static readonly JsonParser GoogleParser = new(JsonParser.Settings.Default.WithTypeRegistry(OracleMessages.Registry));
    private static readonly ProtoJsonFormatOptions Options = new() { TypeResolver = OracleMessages.Resolve };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void AllTypes_formats_as_JsonFormatter_does_and_parses_back_both_ways(int oneofChoice)
    {
        AssertJsonAgrees(OracleMessages.FullAllTypes(oneofChoice));
    }

    [Fact]
    public void Proto2_message_with_groups_formats_and_parses_as_google_does()
    {
        AssertJsonAgrees(OracleMessages.FullScalars());
    }

    [Fact]
    public void Default_values_are_emitted_as_FormatDefaultValues_does()
    {
        var sparse = new AllTypes { FString = "only" };
        DynamicMessage message = DynamicCodec.Decode(AllTypes.Descriptor, sparse.ToByteArray());

        string ours = ProtoJson.Format(message, new ProtoJsonFormatOptions { EmitDefaultValues = true, TypeResolver = OracleMessages.Resolve });

        JsonSemantics.AssertEquivalent(GoogleDefaultsFormatter.Format(sparse), ours);
        Assert.Contains("\"fInt64\":\"0\"", ours, StringComparison.Ordinal);
        Assert.DoesNotContain("optInt32", ours, StringComparison.Ordinal);
    }

    [Fact]
    public void Indented_output_is_the_same_JSON()
    {
        DynamicMessage message = GeneratedBridge.ToDynamic(OracleMessages.FullAllTypes());

        string indented = ProtoJson.Format(message, new ProtoJsonFormatOptions { Indented = true, TypeResolver = OracleMessages.Resolve });

        Assert.Contains("\n", indented, StringComparison.Ordinal);
        JsonSemantics.AssertEquivalent(ProtoJson.Format(message, Options), indented);
    }

    [Fact]
    public void Two_thousand_random_messages_format_and_parse_as_google_does()
    {
        var random = new RandomMessages(seed: 7_331);
        for (int i = 0; i < 2_000; i++)
        {
            MessageDescriptor type = RandomRoundTripTests.Types[i % RandomRoundTripTests.Types.Length];
            DynamicMessage message = random.Create(type, depth: random.Next(4));
            IMessage generated = type.Parser.ParseFrom(DynamicCodec.Encode(message));

            string ours = ProtoJson.Format(message, Options);
            string google = GoogleFormatter.Format(generated);
            DynamicMessage parsed = ProtoJson.Parse(type, google, OracleMessages.Resolve);

            JsonSemantics.AssertEquivalent(google, ours);
            Assert.True(DynamicComparer.Difference(message, parsed) is null, $"message {i} ({type.Name}): {DynamicComparer.Difference(message, parsed)}\n{google}");
            Assert.Equal(generated, GoogleParser.Parse(ours, type));
        }
    }

    private static void AssertJsonAgrees(IMessage expected)
    {
        MessageDescriptor type = expected.Descriptor;
        DynamicMessage message = DynamicCodec.Decode(type, expected.ToByteArray());

        string ours = ProtoJson.Format(message, Options);
        string google = GoogleFormatter.Format(expected);
        DynamicMessage parsed = ProtoJson.Parse(type, google, OracleMessages.Resolve);

        JsonSemantics.AssertEquivalent(google, ours);
        Assert.Equal(expected, type.Parser.ParseFrom(DynamicCodec.Encode(parsed)));
        Assert.Equal(expected, GoogleParser.Parse(ours, type));
    }
}
