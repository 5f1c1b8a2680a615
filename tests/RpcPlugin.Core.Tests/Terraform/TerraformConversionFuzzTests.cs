using System;
using System.Collections.Specialized;
using System.Linq;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Terraform;
using RpcPlugin.Core.Tests.Fuzz;
using Xunit.Abstractions;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>
/// The conversion of calls against random schemas and values, the whole way a value travels: a request built with
/// the converter, encoded as protobuf and decoded again; its msgpack sent back as a response and projected; the
/// projected state given to the next request. The bytes must not change on the way.
/// </summary>
[Collection(FuzzRunner.Collection)]
public class TerraformConversionFuzzTests
{
    private const int Seed = 17_217;
    private const int Cases = 1_500;

    private readonly ITestOutputHelper output;

    public TerraformConversionFuzzTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Theory]
    [InlineData(6)]
    [InlineData(5)]
    public void A_random_state_travels_from_request_to_response_to_request_unchanged(int version)
    {
        DescriptorPool pool = TerraformProtocol.GetPool(version);
        ServiceDescriptor service = TerraformProtocol.FindProviderService(pool, version);
        MethodDescriptor plan = service.FindMethodByName("PlanResourceChange");
        MethodDescriptor apply = service.FindMethodByName("ApplyResourceChange");
        FieldDescriptor planned = plan.OutputType.FindFieldByName("planned_state");

        FuzzSummary summary = FuzzRunner.Run($"{nameof(A_random_state_travels_from_request_to_response_to_request_unchanged)}({version})", Seed + version, Cases, fuzzCase =>
        {
            Random random = fuzzCase.Random;
            string json = CtyRandom.BlockJson(random, 2);
            fuzzCase.Input("schema block", json);
            ProviderSchema schema = ProviderSchema.FromResponse(SchemaJson.Response(version, "{\"resource_schemas\":{\"r\":{\"block\":" + json + "}}}"));
            object? value = CtyRandom.BlockValue(random, schema.GetResource("r").Block, 3);

            // The request, built from the value, through the protobuf wire and back.
            DynamicMessage request;
            try
            {
                request = Build(pool, plan, schema, new OrderedDictionary { ["config"] = value, ["type_name"] = "r" });
            }
            catch (PluginException e) when (e.Code == PluginErrorCode.InvalidRequest && e.Message.Contains("needs one element type", StringComparison.Ordinal))
            {
                fuzzCase.Outcome("rejected"); // a collection of dynamic whose elements differ in type, as Terraform refuses it
                return;
            }

            request = DynamicCodec.Decode(plan.InputType, DynamicCodec.Encode(request));
            byte[] sent = Msgpack(request, "config");

            // The provider answers with the same value as the planned state; the script gives it to ApplyResourceChange.
            var response = new DynamicMessage(plan.OutputType);
            var dynamicValue = new DynamicMessage(planned.MessageType);
            dynamicValue[planned.MessageType.FindFieldByName("msgpack")] = sent;
            response[planned] = dynamicValue;
            response = DynamicCodec.Decode(plan.OutputType, DynamicCodec.Encode(response));
            TerraformValueConverter converter = TerraformValueConverter.ForResponse(plan, schema, request);
            var projected = (OrderedDictionary)new MessageProjector(DictionaryRecordFactory.Instance, pool.TypeResolver) { FieldConverter = converter }.Project(response)!;
            if (converter.Failures.Count > 0)
            {
                throw FuzzCase.Fail($"the provider's own value did not decode: {converter.Failures[0].Message}");
            }

            DynamicMessage next = Build(pool, apply, schema, new OrderedDictionary { ["type_name"] = "r", ["planned_state"] = projected["planned_state"] });
            byte[] again = Msgpack(next, "planned_state");
            if (!sent.AsSpan().SequenceEqual(again))
            {
                throw FuzzCase.Fail($"the state changed on its way back:\n{Show.Hex(sent)}\n{Show.Hex(again)}");
            }

            fuzzCase.Outcome("ok");
        }, output);

        if (!summary.Partial)
        {
            Assert.True(summary.Count("ok") > summary.Cases * 8 / 10, summary.ToString());
        }
    }

    private static DynamicMessage Build(DescriptorPool pool, MethodDescriptor method, ProviderSchema schema, object request) =>
        new MessageBuilder(RecordAdapter.Instance, pool.TypeResolver) { FieldConverter = TerraformValueConverter.ForRequest(method, schema, RecordAdapter.Instance) }
            .Build(method.InputType, request);

    private static byte[] Msgpack(DynamicMessage message, string field)
    {
        var value = (DynamicMessage)message[message.Descriptor.FindFieldByName(field)]!;
        return (byte[])value[value.Descriptor.FindFieldByName("msgpack")]!;
    }
}
