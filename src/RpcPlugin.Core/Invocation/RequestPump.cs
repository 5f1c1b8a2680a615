using Grpc.Core;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Core.Invocation;

/// <summary>
/// Feeds a streaming call's requests from their source in the background, so that the caller reads responses
/// meanwhile. When the call ends first, the pump stops quietly (the call's status says why); when the source
/// fails, it ends the call and <see cref="StopAsync"/> rethrows the source's failure.
/// </summary>
internal sealed class RequestPump
{
    private readonly CancellationTokenSource stop;
    private readonly Task pumping;

    /// <summary>Starts writing <paramref name="requests"/> to <paramref name="stream"/>; <paramref name="stop"/> cancels the call.</summary>
    public RequestPump(IAsyncEnumerable<DynamicMessage> requests, IClientStreamWriter<DynamicMessage> stream, CancellationTokenSource stop)
    {
        this.stop = stop;
        pumping = Task.Run(() => PumpAsync(requests, stream));
    }

    /// <summary>Stops reading the source (the call is over) and waits for the pump; rethrows a failure of the source.</summary>
    public async Task StopAsync()
    {
        if (!pumping.IsCompleted)
        {
            stop.Cancel();
        }

        await pumping.ConfigureAwait(false);
    }

    private async Task PumpAsync(IAsyncEnumerable<DynamicMessage> requests, IClientStreamWriter<DynamicMessage> stream)
    {
        IAsyncEnumerator<DynamicMessage> source = requests.GetAsyncEnumerator(stop.Token);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await source.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch
                {
                    stop.Cancel(); // the call cannot go on without its requests
                    throw;
                }

                if (!more)
                {
                    break;
                }

                if (!await CallGoesOnAsync(() => stream.WriteAsync(source.Current, stop.Token)).ConfigureAwait(false))
                {
                    return;
                }
            }

            await CallGoesOnAsync(stream.CompleteAsync).ConfigureAwait(false);
        }
        finally
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a write; false when the call has ended under it. However the write fails (a status, a call already
    /// complete, a connection that broke mid-frame), the call's own status, read by the caller, says why.
    /// </summary>
    private static async Task<bool> CallGoesOnAsync(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
