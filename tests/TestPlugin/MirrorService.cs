using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using Grpc.Core;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// The <c>testplugin.Mirror</c> service: replies with the message reversed. It exists so that a method's bare
/// name is ambiguous (<c>Unary</c> is both <c>testplugin.Echo/Unary</c> and <c>testplugin.Mirror/Unary</c>).
/// </summary>
internal sealed class MirrorService(TestPluginState state) : Mirror.MirrorBase
{
    private static readonly int Pid = Environment.ProcessId;

    public override async Task<EchoReply> Unary(EchoRequest request, ServerCallContext context)
    {
        state.Crash.Tick();
        await CallDelay.WaitAsync(request.DelayMs, context);
        return Reply(request.Message, 0);
    }

    public override async Task Reverse(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        state.Crash.Tick();
        var index = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await CallDelay.WaitAsync(request.DelayMs, context);
            state.Crash.Tick();
            await responseStream.WriteAsync(Reply(request.Message, index++), context.CancellationToken);
        }
    }

    /// <summary>Reverses by text element, so that surrogate pairs and combining marks stay whole: "héllo👍" → "👍olléh".</summary>
    public static string Mirrored(string text)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        elements.Reverse();
        return string.Concat(elements);
    }

    private static EchoReply Reply(string message, int index) => new() { Message = Mirrored(message), Index = index, Pid = Pid };
}
