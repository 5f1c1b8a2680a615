using Grpc.Core;
using Grpc.Net.Client;
using RpcPlugin.Core.Processes;
using RpcPlugin.Protocol;

namespace RpcPlugin.Core.Sessions;

/// <summary>
/// The polite part of stopping a plugin, as go-plugin's client does it: <c>plugin.GRPCController/Shutdown</c>, a wait
/// for the process to exit, then SIGTERM (pyvider honours it) and a short wait. What is still running afterwards
/// is killed by the caller. A later stop may hurry it (<see cref="StopUrgency"/>).
/// </summary>
internal static class GracefulStop
{
    /// <summary>Runs the polite stop; returns early when told to hurry (the caller then kills).</summary>
    /// <param name="plugin">The process to stop.</param>
    /// <param name="channel">The session's channel, for the Shutdown call; null when already closed.</param>
    /// <param name="closeChannel">Closes the channel once Shutdown has been asked, so the plugin sees no client left.</param>
    /// <param name="urgency">When the wait after Shutdown ends, and whether to skip the waits and kill now.</param>
    /// <param name="terminateGrace">How long to wait after SIGTERM.</param>
    public static async Task RunAsync(IPluginProcess plugin, GrpcChannel? channel, Action closeChannel, StopUrgency urgency, TimeSpan terminateGrace)
    {
        if (!await RequestShutdownAsync(channel, urgency).ConfigureAwait(false))
        {
            return;
        }

        closeChannel();
        if (await WaitForExitAsync(plugin, Timeout.InfiniteTimeSpan, urgency.Due).ConfigureAwait(false) || urgency.Now.IsCancellationRequested)
        {
            return;
        }

        if (plugin.RequestTermination())
        {
            await WaitForExitAsync(plugin, terminateGrace, urgency.Now).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the process to exit; false when the time ran out (or the wait was cancelled) first.</summary>
    public static async Task<bool> WaitForExitAsync(IPluginProcess plugin, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (plugin.Exited.IsCompleted)
        {
            return true;
        }

        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
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

    /// <summary>Asks the plugin to exit (GRPCController/Shutdown); false when told to kill at once meanwhile.</summary>
    private static async Task<bool> RequestShutdownAsync(GrpcChannel? channel, StopUrgency urgency)
    {
        if (channel is null)
        {
            return !urgency.Now.IsCancellationRequested;
        }

        try
        {
            var controller = new GRPCController.GRPCControllerClient(channel);
            await controller.ShutdownAsync(new Empty(), deadline: urgency.Deadline, cancellationToken: urgency.Due).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // go-plugin 1.0.1 closes the connection before answering (Unavailable); others may lack the service;
            // a deadline brought forward cancels it. Either way the wait that follows decides.
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The channel was closed meanwhile (the plugin exited by itself): the wait decides.
        }

        return !urgency.Now.IsCancellationRequested;
    }
}
