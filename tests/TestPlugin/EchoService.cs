using System;
using System.Threading.Tasks;
using Grpc.Core;
using RpcPlugin.GoPluginServer;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// The <c>testplugin.Echo</c> service: the four call shapes (this file) and the steering calls. Every method also
/// echoes x-echo-* metadata, through <see cref="MetadataEcho"/> (registered for this service in Program.cs).
/// </summary>
internal sealed partial class EchoService(TestPluginState state, HclogLogger log, PluginStdio stdio, PluginServerInfo info) : Echo.EchoBase
{
    private static readonly int Pid = Environment.ProcessId;

    public override async Task<EchoReply> Unary(EchoRequest request, ServerCallContext context)
    {
        state.Crash.Tick();
        await Wait(request.DelayMs, context);
        return Reply(request.Message, 0);
    }

    public override Task<AllTypes> EchoAll(AllTypes request, ServerCallContext context)
    {
        state.Crash.Tick();
        return Task.FromResult(request);
    }

    public override async Task ServerStream(StreamRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        state.Crash.Tick();
        var message = request.Message.PadRight(Math.Max(request.PayloadSize, 0), 'x');
        for (var index = 0; index < request.Count; index++)
        {
            if (index > 0)
            {
                await Wait(request.IntervalMs, context);
            }

            state.Crash.Tick();
            await responseStream.WriteAsync(Reply(message, index), context.CancellationToken);
        }
    }

    public override async Task<StreamSummary> ClientStream(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        state.Crash.Tick();
        var summary = new StreamSummary();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            summary.Messages.Add(request.Message);
        }

        summary.Count = summary.Messages.Count;
        return summary;
    }

    public override async Task Bidi(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        state.Crash.Tick();
        var index = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await Wait(request.DelayMs, context);
            state.Crash.Tick();
            await responseStream.WriteAsync(Reply(request.Message, index++), context.CancellationToken);
        }
    }

    public override async Task<Google.Protobuf.WellKnownTypes.Empty> Sleep(SleepRequest request, ServerCallContext context)
    {
        state.Crash.Tick();
        log.Debug("sleeping", ("milliseconds", request.Milliseconds)); // tests wait for this line, not for a guess
        await Wait(request.Milliseconds, context);
        return new Google.Protobuf.WellKnownTypes.Empty();
    }

    private static EchoReply Reply(string message, int index) => new() { Message = message, Index = index, Pid = Pid };

    private static Task Wait(int milliseconds, ServerCallContext context) => CallDelay.WaitAsync(milliseconds, context);
}
