using System;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using RpcPlugin.Protocol;

namespace RpcPlugin.GoPluginServer;

/// <summary><c>plugin.GRPCStdio</c>: streams what the plugin wrote through <see cref="PluginStdio"/>.</summary>
internal sealed class StdioService(PluginStdio stdio, PluginStopper stopper) : GRPCStdio.GRPCStdioBase
{
    public override async Task StreamStdio(Google.Protobuf.WellKnownTypes.Empty request, IServerStreamWriter<StdioData> responseStream, ServerCallContext context)
    {
        // The stream lasts as long as the plugin; end it cleanly when the plugin stops, as go-plugin does.
        using var until = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopper.Stopping);
        try
        {
            await foreach (var item in stdio.Reader.ReadAllAsync(until.Token))
            {
                await responseStream.WriteAsync(item, until.Token);
            }
        }
        catch (OperationCanceledException) when (until.IsCancellationRequested)
        {
        }
    }
}
