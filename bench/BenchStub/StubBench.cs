using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Net.Client;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPluginBench;

/// <summary>
/// The compiled-stub side of the in-process rows: each method takes the session's CallInvoker (typed object so
/// that PowerShell can pass it across by reflection; the assembly must be loaded in RpcPlugin's load context so
/// the types are the module's) and returns the elapsed milliseconds of the timed part.
/// </summary>
public static class StubBench
{
    /// <summary>n blocking unary calls of testplugin.Echo/Unary {message = "x"}, each reply checked.</summary>
    public static double Unary(object invoker, int n)
    {
        var client = new Echo.EchoClient((CallInvoker)invoker);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            EchoReply reply = client.Unary(new EchoRequest { Message = "x" });
            if (reply.Message != "x")
            {
                throw new InvalidOperationException($"Unexpected reply '{reply.Message}'.");
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>One unary call, untimed: for a PowerShell loop that calls the stub once per iteration.</summary>
    public static string UnaryOnce(object invoker) =>
        new Echo.EchoClient((CallInvoker)invoker).Unary(new EchoRequest { Message = "x" }).Message;

    /// <summary>testplugin.Echo/ServerStream {count}: reads every reply; returns [elapsed ms, messages read].</summary>
    public static double[] ServerStream(object invoker, int count) =>
        ServerStreamAsync((CallInvoker)invoker, count).GetAwaiter().GetResult();

    /// <summary>testplugin.Echo/ClientStream with n requests {message = "x"}; returns [elapsed ms, count the plugin saw].</summary>
    public static double[] ClientStream(object invoker, int n) =>
        ClientStreamAsync((CallInvoker)invoker, n).GetAwaiter().GetResult();

    /// <summary>n blocking unary calls of goecho.Echo/Unary {text = "x"} (go-echo-plugin), each reply checked.</summary>
    public static double GoUnary(object invoker, int n)
    {
        var client = new Goecho.Echo.EchoClient((CallInvoker)invoker);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            Goecho.Msg reply = client.Unary(new Goecho.Msg { Text = "x" });
            if (reply.Text != "x")
            {
                throw new InvalidOperationException($"Unexpected reply '{reply.Text}'.");
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>goecho.Echo/ServerStream {count, text = "x"}: reads every reply; returns [elapsed ms, messages read].</summary>
    public static double[] GoServerStream(object invoker, int count) =>
        GoServerStreamAsync((CallInvoker)invoker, count).GetAwaiter().GetResult();

    /// <summary>
    /// Dials a plaintext plugin at a unix socket with a new channel and makes one unary call: with a raw start, the
    /// time to a plugin's first answer (its cold first request included). Returns the elapsed milliseconds.
    /// </summary>
    public static double FirstCall(string socketPath)
    {
        long start = Stopwatch.GetTimestamp();
        using GrpcChannel channel = UnixChannel.Create(socketPath);
        string message = new Echo.EchoClient(channel).Unary(new EchoRequest { Message = "x" }).Message;
        if (message != "x")
        {
            throw new InvalidOperationException($"Unexpected reply '{message}'.");
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static async Task<double[]> ServerStreamAsync(CallInvoker invoker, int count)
    {
        var client = new Echo.EchoClient(invoker);
        long start = Stopwatch.GetTimestamp();
        using AsyncServerStreamingCall<EchoReply> call = client.ServerStream(new StreamRequest { Count = count });
        int read = 0;
        while (await call.ResponseStream.MoveNext().ConfigureAwait(false))
        {
            if (call.ResponseStream.Current.Index != read)
            {
                throw new InvalidOperationException($"Reply {read} has index {call.ResponseStream.Current.Index}.");
            }

            read++;
        }

        return new[] { Stopwatch.GetElapsedTime(start).TotalMilliseconds, read };
    }

    private static async Task<double[]> GoServerStreamAsync(CallInvoker invoker, int count)
    {
        var client = new Goecho.Echo.EchoClient(invoker);
        long start = Stopwatch.GetTimestamp();
        using AsyncServerStreamingCall<Goecho.Msg> call = client.ServerStream(new Goecho.StreamReq { Count = count, Text = "x" });
        int read = 0;
        while (await call.ResponseStream.MoveNext().ConfigureAwait(false))
        {
            read++;
        }

        return new[] { Stopwatch.GetElapsedTime(start).TotalMilliseconds, read };
    }

    private static async Task<double[]> ClientStreamAsync(CallInvoker invoker, int n)
    {
        var client = new Echo.EchoClient(invoker);
        long start = Stopwatch.GetTimestamp();
        using AsyncClientStreamingCall<EchoRequest, StreamSummary> call = client.ClientStream();
        for (int i = 0; i < n; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Message = "x" }).ConfigureAwait(false);
        }

        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        StreamSummary summary = await call.ResponseAsync.ConfigureAwait(false);
        return new[] { Stopwatch.GetElapsedTime(start).TotalMilliseconds, summary.Count };
    }
}
