using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace RpcPlugin.GoPluginServer;

/// <summary>
/// Replaces the console lifetime, which would stop on SIGINT and print "Application started" banners:
/// <see cref="PluginSignals"/> owns the signals and <see cref="PluginServer"/> owns start and stop.
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
