using System;
using System.Linq;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Tests.Codec;
using RpcPlugin.TestPlugin.Protos;
using Xunit.Abstractions;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// <see cref="MessageBuilder.Build"/> against random .NET object trees shaped like requests for AllTypes
/// (issue 7, Security): dictionaries of every kind, arrays and lists, strings, numbers of every .NET type
/// (BigInteger, decimal, NaN...), bools, null, DateTime, TimeSpan, byte arrays, nesting up to 200 levels. Build
/// either returns a message or throws <see cref="PluginException"/> with InvalidRequest; what it returns encodes.
/// </summary>
[Collection(FuzzRunner.Collection)]
public class MessageBuilderFuzzTests
{
    private const int Seed = 7_004;
    private const int Cases = 20_000;

    private static readonly MessageDescriptor[] WellKnown =
    {
        Timestamp.Descriptor, Duration.Descriptor, Struct.Descriptor, Value.Descriptor, ListValue.Descriptor, Any.Descriptor,
        Empty.Descriptor, FieldMask.Descriptor, Int32Value.Descriptor, Int64Value.Descriptor, UInt32Value.Descriptor,
        UInt64Value.Descriptor, FloatValue.Descriptor, DoubleValue.Descriptor, BoolValue.Descriptor, StringValue.Descriptor,
        BytesValue.Descriptor,
    };

    private static readonly MessageBuilder Builder = new(PlainValueAdapter.Instance, Resolve);

    private readonly ITestOutputHelper output;

    public MessageBuilderFuzzTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Fact]
    public void Build_fails_only_with_invalid_request_and_what_it_builds_encodes()
    {
        FuzzSummary summary = FuzzRunner.Run(nameof(MessageBuilderFuzzTests), Seed, Cases, Check, output);

        if (summary.Partial)
        {
            return;
        }

        Assert.Equal(Cases, summary.Cases);
        Assert.True(summary.Count("ok") > Cases / 10, summary.ToString());
        Assert.True(summary.Count("rejected") > Cases / 10, summary.ToString());
    }

    private static void Check(FuzzCase fuzzCase)
    {
        Random random = fuzzCase.Random;
        MessageDescriptor type = random.Next(10) switch
        {
            0 => RandomRoundTripTests.Types[random.Next(RandomRoundTripTests.Types.Length)],
            _ => AllTypes.Descriptor,
        };
        object? request = RequestTrees.Next(random, type);
        fuzzCase.Input(() => $"request for {type.FullName}: {HostValues.Describe(request, 0)}");

        DynamicMessage built;
        try
        {
            built = Builder.Build(type, request);
        }
        catch (PluginException e) when (e.Code == PluginErrorCode.InvalidRequest)
        {
            fuzzCase.Outcome("rejected");
            return;
        }
        catch (PluginException e)
        {
            throw FuzzCase.Fail($"PluginException with code {e.Code}, not InvalidRequest: {e.Message}");
        }

        try
        {
            DynamicCodec.Encode(built);
        }
        catch (ProtobufCodecException e)
        {
            throw FuzzCase.Fail($"Build accepted the request, but the message does not encode: {e.Message}");
        }

        fuzzCase.Outcome("ok");
    }

    /// <summary>Resolves Any types by full name or type URL: the test types and the well-known types.</summary>
    private static MessageDescriptor? Resolve(string nameOrUrl)
    {
        string name = nameOrUrl[(nameOrUrl.LastIndexOf('/') + 1)..];
        return OracleMessages.Resolve(name) ?? WellKnown.FirstOrDefault(d => d.FullName == name);
    }
}
