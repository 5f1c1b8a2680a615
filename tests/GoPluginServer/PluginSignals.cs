using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace RpcPlugin.GoPluginServer;

/// <summary>
/// Signal handling of a go-plugin server: SIGINT is counted and ignored (a Ctrl+C at the host's terminal reaches
/// the plugin too, and the host decides when its plugins stop); SIGTERM stops the server gracefully.
/// </summary>
internal sealed class PluginSignals : IDisposable
{
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _interrupts;

    public PluginSignals(HclogLogger log, PluginStopper stopper, bool ignoreTerminate)
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            log.Debug("plugin received interrupt signal, ignoring", ("count", Interlocked.Increment(ref _interrupts)));
        });
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (ignoreTerminate)
            {
                log.Warn("plugin received terminate signal; a test hook ignores it");
                return;
            }

            stopper.RequestStop("terminate signal");
        });
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }
}
