using System;
using System.Threading.Tasks;
using Grpc.Core;

namespace RpcPlugin.TestPlugin;

/// <summary>The waits the test services do before they reply (<c>delay_ms</c>, <c>interval_ms</c>, <c>Sleep</c>).</summary>
internal static class CallDelay
{
    /// <summary>
    /// Waits unless the caller gives up first: cancellation answers CANCELLED rather than an unhandled-exception
    /// error. Nothing to wait for (0 or less) returns at once.
    /// </summary>
    public static async Task WaitAsync(int milliseconds, ServerCallContext context)
    {
        if (milliseconds <= 0)
        {
            return;
        }

        try
        {
            await Task.Delay(milliseconds, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled while the plugin waited"));
        }
    }
}
