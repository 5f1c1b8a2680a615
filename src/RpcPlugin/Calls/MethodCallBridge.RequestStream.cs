using System.Threading.Channels;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Calls;

/// <summary>The request side of a client-streaming or bidi call.</summary>
internal sealed partial class MethodCallBridge
{
    /// <summary>
    /// Requests go through a bounded channel that the core's call reads in the background, so the pipeline thread
    /// does not wait for each write; bidi responses are written whenever the pipeline thread comes by. When the
    /// call ends, the channel closes, so a write never waits for a call that is over.
    /// </summary>
    private sealed class RequestStream
    {
        private readonly MethodCallBridge bridge;
        private readonly Channel<DynamicMessage> requests = Channel.CreateBounded<DynamicMessage>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        private readonly CancellationTokenSource abort;
        private readonly Task reading;

        public RequestStream(MethodCallBridge bridge)
        {
            this.bridge = bridge;
            abort = CancellationTokenSource.CreateLinkedTokenSource(bridge.StopToken);
            var responses = bridge.call.StreamAsync(requests.Reader.ReadAllAsync(), bridge.NextDeadline(), abort.Token);
            reading = Task.Run(() => bridge.ReadAllAsync(responses));
            reading.ContinueWith(_ => requests.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>Queues a request and writes what came back meanwhile; false when the call has ended.</summary>
        public bool Write(DynamicMessage request)
        {
            if (reading.IsCompleted)
            {
                return false;
            }

            if (!requests.Writer.TryWrite(request))
            {
                // The channel is full: wait for room, writing responses meanwhile.
                Task written = requests.Writer.WriteAsync(request, bridge.StopToken).AsTask();
                using (bridge.command.ShowPluginLog(bridge.session))
                {
                    bridge.command.WaitFor(written, bridge.write);
                }

                if (!written.IsCompletedSuccessfully)
                {
                    return false;
                }
            }

            bridge.progress?.Sent();
            bridge.command.Queue.Drain(bridge.write);
            return true;
        }

        /// <summary>No more requests: waits for the call to end, writing what comes and its failure, if any.</summary>
        public void Finish()
        {
            requests.Writer.TryComplete();
            bridge.WaitCall(reading);
        }

        /// <summary>Ends the call without reporting its end (the reason was written already).</summary>
        public void Abort()
        {
            abort.Cancel();
            requests.Writer.TryComplete();
            bridge.WaitCall(reading);
        }
    }
}
