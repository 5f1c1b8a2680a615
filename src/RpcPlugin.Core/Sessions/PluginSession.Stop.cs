using Grpc.Net.Client;
using RpcPlugin.Core.Processes;

namespace RpcPlugin.Core.Sessions;

/// <summary>Stopping a session: one stop shared by every caller, which later callers may hurry.</summary>
public sealed partial class PluginSession
{
    /// <summary>
    /// Stops the session. A plugin we started: Shutdown RPC, wait up to <paramref name="timeout"/> for it to exit,
    /// SIGTERM and a short wait, then kill its whole tree; with <paramref name="force"/>, kill at once. A plugin we
    /// attached to: the connection is closed and the plugin left running (Disconnected), unless
    /// <paramref name="force"/>, which stops it the graceful way and then kills it (also once it is Disconnected,
    /// by its pid). Whatever we created (socket directory, a stale socket) is removed. Concurrent calls share one
    /// stop, which a later call can only hurry: <paramref name="force"/> kills at once, a shorter
    /// <paramref name="timeout"/> ends the graceful wait sooner. Cancelling the first call skips the graceful waits
    /// but still kills, so nothing is left running; cancelling a later call only ends that caller's wait.
    /// </summary>
    public Task StopAsync(TimeSpan? timeout = null, bool force = false, CancellationToken cancellationToken = default)
    {
        TimeSpan wait = timeout ?? DefaultStopTimeout;
        lock (gate)
        {
            if (stopping is null)
            {
                if (status.State == RpcPluginSessionState.Ready)
                {
                    Volatile.Write(ref status, status with { State = RpcPluginSessionState.Stopping });
                }

                urgency = new StopUrgency(wait);
                endAttached = force;
                stopping = StopCoreAsync(urgency, force, cancellationToken);
                return stopping;
            }

            if (!stopping.IsCompleted)
            {
                Hurry(wait, force);
            }
            else if (force && process is not null && status.State == RpcPluginSessionState.Disconnected)
            {
                // Disconnected earlier, now ended for good: the attached process is known by its pid.
                stopping = EndDisconnectedAsync();
            }

            return cancellationToken.CanBeCanceled ? stopping.WaitAsync(cancellationToken) : stopping;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Makes the stop under way at least as urgent as a later call asks; called under the gate.</summary>
    private void Hurry(TimeSpan timeout, bool force)
    {
        if (force && Owned)
        {
            urgency!.Immediately();
            return;
        }

        // An attached plugin that the first call was only to disconnect from is ended too.
        endAttached |= force;
        urgency!.Within(timeout);
    }

    private async Task StopCoreAsync(StopUrgency urgency, bool force, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (force && Owned)
        {
            urgency.Immediately();
        }

        CancellationTokenRegistration cancelled = cancellationToken.Register(urgency.Immediately);
        bool graceful = process is not null && (process.Owned ? !force : force);
        try
        {
            await descriptors.LetLoadFinishAsync(DescriptorLoadGrace, urgency.Due).ConfigureAwait(false);
            lifetime.Cancel();
            if (graceful && !process!.Exited.IsCompleted && !urgency.Now.IsCancellationRequested)
            {
                GrpcChannel? current;
                lock (gate)
                {
                    current = channels?.Internal;
                }

                await GracefulStop.RunAsync(process, current, DisposeChannel, urgency, Min(urgency.ShortestTimeout, TerminateGrace)).ConfigureAwait(false);
            }
        }
        finally
        {
            await cancelled.DisposeAsync().ConfigureAwait(false);
            lifetime.Cancel();
            DisposeChannel();
            bool endProcess;
            lock (gate)
            {
                endProcess = process is not null && (process.Owned || endAttached);
            }

            if (endProcess)
            {
                // Also after a graceful exit: children the plugin left behind die with it.
                await ProcessTeardown.EndAsync(process!, Owned ? SocketPath : null, socketDirectory).ConfigureAwait(false);

                // Its last words (what it logged while going down) are in the log before the stop returns.
                await Task.WhenAny(outputDrained, Task.Delay(OutputDrainWait)).ConfigureAwait(false);
            }
            else
            {
                process?.Dispose(); // an attached plugin keeps running: stop watching it
            }

            lock (gate)
            {
                // The exit's own continuation may not have run yet: take the code from the process itself.
                int? code = status.ExitTime is null && process is { Exited.IsCompletedSuccessfully: true } ended ? ended.Exited.Result : status.ExitCode;
                bool exited = endProcess || status.State == RpcPluginSessionState.Exited;
                Volatile.Write(ref status, new Status(exited ? RpcPluginSessionState.Exited : RpcPluginSessionState.Disconnected, code, status.ExitTime ?? DateTimeOffset.Now));
                urgency.Dispose();
            }

            closed.TrySetResult();
        }
    }

    /// <summary>Ends the plugin of a session that a stop disconnected from it (a later -Force).</summary>
    private async Task EndDisconnectedAsync()
    {
        await Task.Yield();
        await ProcessTeardown.EndAsync(process!).ConfigureAwait(false);
        lock (gate)
        {
            Volatile.Write(ref status, new Status(RpcPluginSessionState.Exited, null, DateTimeOffset.Now));
        }
    }
}
