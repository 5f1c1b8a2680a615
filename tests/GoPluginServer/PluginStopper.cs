using System.Threading;
using System.Threading.Tasks;

namespace RpcPlugin.GoPluginServer;

/// <summary>
/// The one place a stop is requested from (Shutdown call, SIGTERM) and awaited by the serve loop.
/// </summary>
internal sealed class PluginStopper(HclogLogger log)
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cancelled once a stop is requested: long streams end on it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public Task Requested => _requested.Task;

    public void RequestStop(string reason)
    {
        if (_requested.TrySetResult())
        {
            log.Debug("plugin stopping", ("reason", reason));
            _stopping.Cancel();
        }
    }
}
