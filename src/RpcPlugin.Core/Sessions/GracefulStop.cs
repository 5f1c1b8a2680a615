using Grpc.Core;
using Grpc.Net.Client;
using RpcPlugin.Core.Processes;
using RpcPlugin.Protocol;

namespace RpcPlugin.Core.Sessions;

/// <summary>
/// The polite part of stopping a plugin, as go-plugin's client does it: <c>plugin.GRPCController/Shutdown</c>, a wait
/// for the process to exit, then SIGTERM (pyvider honours it) and a short wait. What is still running afterwards
/// is killed by the caller.
/// </summary>
internal static class GracefulStop
{
    /// <summary>Runs the polite stop; returns early when cancelled (the caller then kills).</summary>
    /// <param name="plugin">The process to stop.</param>
    /// <param name="channel">The session's channel, for the Shutdown call; null when already closed.</param>
    /// <param name="closeChannel">Closes the channel once Shutdown has been asked, so the plugin sees no client left.</param>
    /// <param name="deadline">When the wait after Shutdown ends.</param>
    /// <param name="terminateGrace">How long to wait after SIGTERM.</param>
    /// <param name="cancellationToken">Skips the waits.</param>
    public static async Task RunAsync(IPluginProcess plugin, GrpcChannel? channel, Action closeChannel, DateTime deadline, TimeSpan terminateGrace, CancellationToken cancellationToken)
    {
        if (!await RequestShutdownAsync(channel, deadline, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        closeChannel();
        if (await WaitForExitAsync(plugin, deadline - DateTime.UtcNow, cancellationToken).ConfigureAwait(false) || cancellationToken.IsCancellationRequested)
        {
            return;
        }

        if (plugin.RequestTermination())
        {
            await WaitForExitAsync(plugin, terminateGrace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the process to exit; false when the time ran out (or the wait was cancelled) first.</summary>
    public static async Task<bool> WaitForExitAsync(IPluginProcess plugin, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (plugin.Exited.IsCompleted)
        {
            return true;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            await plugin.Exited.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return plugin.Exited.IsCompleted;
        }
    }

    /// <summary>Asks the plugin to exit (GRPCController/Shutdown); false when the wait was cancelled.</summary>
    private static async Task<bool> RequestShutdownAsync(GrpcChannel? channel, DateTime deadline, CancellationToken cancellationToken)
    {
        if (channel is null)
        {
            return true;
        }

        try
        {
            var controller = new GRPCController.GRPCControllerClient(channel);
            await controller.ShutdownAsync(new Empty(), deadline: deadline, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // go-plugin 1.0.1 closes the connection before answering (Unavailable); others may lack the service.
            // Either way the wait that follows decides.
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            // The channel was closed meanwhile (the plugin exited by itself): the wait decides.
        }

        return true;
    }
}
