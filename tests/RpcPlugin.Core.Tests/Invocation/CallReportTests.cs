using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Core.Tests.Invocation;

/// <summary><see cref="DynamicCall.LastReport"/> and rich error details against the real test plugin.</summary>
public sealed class CallReportTests : LiveCallFixture
{
    [Fact]
    public async Task A_unary_call_reports_status_sizes_time_and_metadata()
    {
        var call = Call("testplugin.Echo/Unary", new Hashtable { ["x-echo-a"] = "1" });
        DynamicMessage request = Builder.Build(call.Method.InputType, new Hashtable { ["message"] = "hello" });

        var reply = (DynamicMessage)await call.UnaryAsync(request, null);

        CallReport report = call.LastReport!;
        Assert.Equal("testplugin.Echo/Unary", report.Method);
        Assert.Equal(RpcMethodKind.Unary, report.Kind);
        Assert.Equal(RpcStatusCode.OK, report.Status);
        Assert.Null(report.Failure);
        Assert.Equal((1, 7L), (report.RequestCount, report.RequestBytes)); // field 1, length 5, "hello"
        Assert.Equal((1, (long)DynamicCodec.CalculateSize(reply)), (report.ResponseCount, report.ResponseBytes));
        Assert.True(report.Elapsed > TimeSpan.Zero);
        Assert.Equal("1", report.Metadata!.Headers!["x-echo-a"]);
        Assert.Equal("1", report.Metadata.Trailers["trailer-x-echo-a"]);
    }

    [Fact]
    public async Task A_stream_reports_every_message_each_way()
    {
        var call = Call("testplugin.Echo/Bidi");
        var responses = new List<object>();
        await foreach (object response in call.StreamAsync(Source(Request(call, "a"), Request(call, "bb"), Request(call, "ccc")), null))
        {
            responses.Add(response);
        }

        CallReport report = call.LastReport!;
        Assert.Equal((3, 3 + 4 + 5L), (report.RequestCount, report.RequestBytes));
        Assert.Equal(3, report.ResponseCount);
        Assert.Equal(responses.Sum(r => (long)DynamicCodec.CalculateSize((DynamicMessage)r)), report.ResponseBytes);
        Assert.Equal(RpcStatusCode.OK, report.Status);
    }

    [Fact]
    public async Task A_failed_call_reports_its_status_and_carries_the_rich_details()
    {
        var call = Call("testplugin.Echo/Fail");
        DynamicMessage request = Builder.Build(call.Method.InputType, new Hashtable { ["code"] = 9, ["message"] = "not now", ["rich_details"] = new[] { "PreconditionFailure", "Nested", "Unknown" } });

        var error = await Assert.ThrowsAsync<RpcCallException>(() => call.UnaryAsync(request, null));

        Assert.Equal(RpcStatusCode.FailedPrecondition, call.LastReport!.Status);
        Assert.Equal("RpcPlugin.Rpc.FailedPrecondition", call.LastReport.Failure);
        Assert.Equal(0, call.LastReport.ResponseCount);
        Assert.Equal(3, error.Details.Count);
        Assert.Equal("TOS", ((IDictionary)((object[])((IDictionary)error.Details[0])["violations"]!)[0])["type"]);
        Assert.Equal("custom detail", ((IDictionary)error.Details[1])["name"]); // decoded with the session's own descriptors
        Assert.Equal("type.googleapis.com/testplugin.NotDescribed", ((IDictionary)error.Details[2])["@type"]);
        Assert.Contains("Details: google.rpc.PreconditionFailure {", error.Message);
    }

    [Fact]
    public async Task Without_a_report_asked_for_there_is_none()
    {
        var call = new DynamicCall(Session, MethodResolver.Resolve(Pool.Services, "testplugin.Echo/Unary"));
        await call.UnaryAsync(Request(call, "x"), null);
        Assert.Null(call.LastReport);
    }

    private DynamicCall Call(string name, IDictionary? metadata = null) =>
        new(Session, MethodResolver.Resolve(Pool.Services, name), new DynamicCallOptions { Report = true, Metadata = metadata });
}
