using System;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Core.Interceptors;
using RpcPlugin.GoPluginServer;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// The <c>silent-reflection:N</c> mode: the first N server-reflection streams are accepted but never read or
/// answered, as if their requests were lost on the way, until the client gives up on them.
/// </summary>
internal sealed class SilentReflection : Interceptor
{
    private readonly int silentStreams;
    private readonly HclogLogger log;
    private int seen;

    public SilentReflection(int silentStreams, HclogLogger log)
    {
        this.silentStreams = silentStreams;
        this.log = log;
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        int stream = context.Method.EndsWith("/ServerReflectionInfo", StringComparison.Ordinal) ? Interlocked.Increment(ref seen) : 0;
        if (stream == 0 || stream > silentStreams)
        {
            await continuation(requestStream, responseStream, context);
            return;
        }

        log.Info("silent-reflection: leaving a reflection stream unanswered", ("stream", stream), ("method", context.Method));
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The client gave up on this stream.
        }
    }
}
