using System.Threading.Tasks;
using Grpc.Core;
using RpcPlugin.Protocol;

namespace RpcPlugin.GoPluginServer;

/// <summary><c>plugin.GRPCController</c>: the host asks the plugin to exit.</summary>
internal sealed class ControllerService(PluginStopper stopper, PluginTestHooks hooks, HclogLogger log) : GRPCController.GRPCControllerBase
{
    public override Task<Empty> Shutdown(Empty request, ServerCallContext context)
    {
        if (hooks.OnShutdown?.Invoke() == false)
        {
            log.Warn("shutdown requested; a test hook keeps the plugin running");
            return Task.FromResult(new Empty());
        }

        // go-plugin 1.0 stops before it replies, so its hosts see "transport is closing"; reply first, then stop.
        context.GetHttpContext().Response.OnCompleted(() =>
        {
            stopper.RequestStop("shutdown requested by the host");
            return Task.CompletedTask;
        });
        return Task.FromResult(new Empty());
    }
}
