using RpcPlugin.Core.Processes.Unix;
using RpcPlugin.Core.Processes.Windows;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Processes;

/// <summary>Starts plugin processes with the platform's means of keeping their trees under control.</summary>
internal static class ProcessLauncher
{
    /// <summary>
    /// Starts the process: standard input empty, standard output and error redirected to us, its own process
    /// group (Unix) or job object (Windows) so that it and its children can be ended together, and a guard that
    /// ends them if this process dies.
    /// </summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.PluginNotFound"/> when it cannot be executed.</exception>
    public static IPluginProcess Start(ProcessStartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return OperatingSystem.IsWindows()
            ? WindowsPluginProcess.Start(spec)
            : UnixPluginProcess.Start(spec);
    }
}
