using System;
using System.Management.Automation;
using System.Threading;
using RpcPlugin.Core;

namespace RpcPlugin.Commands;

/// <summary>
/// Import and removal hooks: removing the module stops the plugins of the runspace that removed it; the process
/// exiting stops them all. (If the process is killed outright, the core's parent-death watchdog ends them.)
/// </summary>
public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static int hooked;

    /// <inheritdoc />
    public void OnImport()
    {
        if (Interlocked.Exchange(ref hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => SessionRegistry.StopEverything();

            // The first Start-RpcPlugin of a process would make its AutoMTLS certificate while the user waits.
            CertificateWarmup.Begin();
        }
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo module) => SessionRegistry.Current.StopAll();
}
