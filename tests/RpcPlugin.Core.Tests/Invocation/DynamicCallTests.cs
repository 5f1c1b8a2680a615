using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using Xunit;

namespace RpcPlugin.Core.Tests.Invocation;

/// <summary>Every call shape of <see cref="DynamicCall"/> against the real test plugin, without PowerShell.</summary>
public sealed class DynamicCallTests : LiveCallFixture
{
    [Fact]
    public async Task A_unary_call_returns_the_decoded_response()
    {
        var call = Call("testplugin.Echo/Unary");
        var reply = (DynamicMessage)await call.UnaryAsync(Request(call, "hello"), call.NextDeadline());
        Assert.Equal("hello", Text(reply, "message"));
        Assert.Equal(RpcMethodKind.Unary, call.Kind);
    }

    [Fact]
    public async Task Raw_form_returns_the_bytes_as_they_arrived()
    {
        var call = Call("testplugin.Echo/Unary", new DynamicCallOptions { Form = ResponseForm.Raw });
        var bytes = (byte[])await call.UnaryAsync(Request(call, "r"), null);
        Assert.Equal(new byte[] { 10, 1, (byte)'r' }, bytes[..3]);
    }

    [Fact]
    public async Task A_server_stream_yields_every_response_in_order()
    {
        var call = Call("testplugin.Echo/ServerStream");
        var request = Builder.Build(call.Method.InputType, new Hashtable { ["count"] = 5 });
        var replies = await Collect(call.ServerStreamAsync(request, null));
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, replies.Select(r => Convert.ToInt64(r[r.Descriptor.FindFieldByName("index")])));
    }

    [Fact]
    public async Task A_client_stream_sends_every_request_and_returns_the_summary()
    {
        var call = Call("testplugin.Echo/ClientStream");
        var replies = await Collect(call.StreamAsync(Requests(call, "a", "b", "c"), null));
        DynamicMessage summary = Assert.Single(replies);
        Assert.Equal(3L, Convert.ToInt64(summary[summary.Descriptor.FindFieldByName("count")]));
    }

    [Fact]
    public async Task A_bidi_stream_answers_each_request()
    {
        var call = Call("testplugin.Echo/Bidi");
        var replies = await Collect(call.StreamAsync(Requests(call, "x", "y"), null));
        Assert.Equal(new[] { "x", "y" }, replies.Select(r => Text(r, "message")));
    }

    [Theory]
    [InlineData("testplugin.Echo/Unary")]
    [InlineData("testplugin.Echo/ServerStream")]
    [InlineData("testplugin.Echo/ClientStream")]
    [InlineData("testplugin.Echo/Bidi")]
    public async Task InvokeAsync_takes_every_shape_through_one_door(string method)
    {
        var call = Call(method);
        var requests = method.EndsWith("ServerStream", StringComparison.Ordinal)
            ? Source(Builder.Build(call.Method.InputType, new Hashtable { ["count"] = 2 }))
            : Requests(call, "p", "q");
        var replies = await Collect(call.InvokeAsync(requests));
        Assert.Equal(method.EndsWith("ClientStream", StringComparison.Ordinal) ? 1 : 2, replies.Count);
    }

    [Fact]
    public async Task A_plugin_status_comes_out_as_RpcCallException_with_the_headers_and_trailers_it_sent()
    {
        var call = Call("testplugin.Echo/Fail", new DynamicCallOptions
        {
            Metadata = new Hashtable { ["x-echo-a"] = "sent" },
            CaptureMetadata = true,
        });
        var request = Builder.Build(call.Method.InputType, new Hashtable { ["code"] = 5, ["message"] = "gone" });
        var failure = await Assert.ThrowsAsync<RpcCallException>(() => call.UnaryAsync(request, null));
        Assert.Equal(RpcStatusCode.NotFound, failure.StatusCode);
        Assert.Equal("gone", failure.Detail);
        Assert.Equal("RpcPlugin.Rpc.NotFound", failure.ErrorId);
        Assert.Equal("sent", call.LastMetadata!.Headers!["x-echo-a"]);
        Assert.Equal("sent", call.LastMetadata.Trailers["trailer-x-echo-a"]);
    }

    [Fact]
    public async Task A_failing_stream_ends_at_once_however_many_requests_are_still_to_come()
    {
        var call = Call("testplugin.Echo/ClientStream", new DynamicCallOptions { Timeout = TimeSpan.FromMilliseconds(500) });
        var endless = Channel.CreateUnbounded<DynamicMessage>(); // never completed: the requests would go on for ever
        await endless.Writer.WriteAsync(Request(call, "first"));

        var failure = await Assert.ThrowsAsync<RpcCallException>(() => Collect(call.StreamAsync(endless.Reader.ReadAllAsync(), call.NextDeadline())));
        Assert.Equal(RpcStatusCode.DeadlineExceeded, failure.StatusCode);
    }

    [Fact]
    public async Task A_failing_request_source_ends_the_call_and_surfaces_as_itself()
    {
        var call = Call("testplugin.Echo/Bidi");
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Collect(call.StreamAsync(FailingSource(Request(call, "one")), null)));
        Assert.Equal("the source broke", failure.Message);
    }

    [Fact]
    public async Task Cancelling_ends_a_call_with_OperationCanceledException()
    {
        var call = Call("testplugin.Echo/Sleep");
        var request = Builder.Build(call.Method.InputType, new Hashtable { ["milliseconds"] = 20_000 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.UnaryAsync(request, null, cancel.Token));
    }

    [Fact]
    public async Task A_session_stopped_under_a_call_says_so()
    {
        var call = Call("testplugin.Echo/Sleep");
        var request = Builder.Build(call.Method.InputType, new Hashtable { ["milliseconds"] = 20_000 });
        Task<object> sleeping = call.UnaryAsync(request, null);
        await Task.Delay(300);
        await Session.StopAsync();
        var failure = await Assert.ThrowsAsync<PluginException>(() => sleeping);
        Assert.Equal(PluginErrorCode.SessionClosed, failure.Code);
    }

    [Fact]
    public async Task Calls_racing_a_stop_fail_with_the_sessions_error_never_a_bare_exception()
    {
        // Each call takes the session's invoker, then starts on its channel: a stop between the two disposes that
        // channel under the call. Many callers of every shape make the window likely to be hit.
        string[] methods = { "testplugin.Echo/Unary", "testplugin.Echo/ServerStream", "testplugin.Echo/ClientStream", "testplugin.Echo/Bidi" };
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        int calls = 0;
        async Task CallUntilClosed(string name)
        {
            var call = Call(name);
            for (int after = 0; after < 50; after += Session.Closed.IsCompleted ? 1 : 0)
            {
                try
                {
                    DynamicMessage request = Request(call, "m");
                    Task work = name.EndsWith("Unary", StringComparison.Ordinal) ? call.UnaryAsync(request, null)
                        : name.EndsWith("ServerStream", StringComparison.Ordinal) ? Collect(call.ServerStreamAsync(Builder.Build(call.Method.InputType, new Hashtable { ["count"] = 1 }), null))
                        : Collect(call.StreamAsync(Source(request), null));
                    await work;
                    Interlocked.Increment(ref calls);
                }
                catch (Exception e) when (e is not (RpcPluginException or OperationCanceledException))
                {
                    unexpected.Add(e);
                }
                catch (Exception)
                {
                    // The session's own error: what a caller should see.
                }
            }
        }

        Task[] callers = Enumerable.Range(0, 16).Select(i => Task.Run(() => CallUntilClosed(methods[i % methods.Length]))).ToArray();
        while (Volatile.Read(ref calls) < 200)
        {
            await Task.Delay(10);
        }

        await Session.StopAsync();
        await Task.WhenAll(callers);
        Assert.Empty(unexpected);
    }

    [Fact]
    public void Metadata_that_gRPC_cannot_carry_is_refused_before_any_call()
    {
        var failure = Assert.Throws<PluginException>(() => Call("testplugin.Echo/Unary", new DynamicCallOptions { Metadata = new Hashtable { ["x-a"] = "line\nbreak" } }));
        Assert.Equal(PluginErrorCode.InvalidArgument, failure.Code);
        Assert.Contains("line feed", failure.Message, StringComparison.Ordinal);
    }

    private static string Text(DynamicMessage message, string field) => (string)message[message.Descriptor.FindFieldByName(field)]!;

    private static async IAsyncEnumerable<DynamicMessage> FailingSource(DynamicMessage first, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return first;
        await Task.Delay(100, cancellationToken);
        throw new InvalidOperationException("the source broke");
    }

    private static async Task<List<DynamicMessage>> Collect(IAsyncEnumerable<object> responses)
    {
        var list = new List<DynamicMessage>();
        await foreach (object response in responses)
        {
            list.Add((DynamicMessage)response);
        }

        return list;
    }

    private DynamicCall Call(string name, DynamicCallOptions? options = null) =>
        new(Session, MethodResolver.Resolve(Pool.Services, name), options);

    private IAsyncEnumerable<DynamicMessage> Requests(DynamicCall call, params string[] messages) =>
        Source(messages.Select(m => Request(call, m)).ToArray());
}
