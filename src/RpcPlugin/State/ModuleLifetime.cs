using System.Management.Automation;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.State;

/// <summary>
/// Import and removal hooks: importing teaches the core's messages the cmdlets' words; removing the module stops
/// the plugins of the runspace that removed it; the process exiting stops them all. (If the process is killed
/// outright, the core's parent-death watchdog ends them.)
/// </summary>
public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly HostTerms PowerShellTerms = new()
    {
        StartCommand = "Start-RpcPlugin",
        StopCommand = "Stop-RpcPlugin",
        ConnectCommand = "Connect-RpcPlugin",
        LogCommand = "Get-RpcPluginLog",
        MethodsCommand = "Get-RpcPluginMethod",
        StartTimeout = "-StartTimeout",
        DescriptorSources = "-ProtoFile or -DescriptorSet",
        MaxMessageSize = "-MaxMessageSize",
        RequireTls = "-RequireTls",
        NoAutoMtls = "-NoAutoMtls",
        CertificateAuthority = "-CertificateAuthority",
        ClientCertificate = "-ClientCertificate",
        MagicCookie = "-MagicCookieKey and -MagicCookieValue",
        ProtocolVersion = "-ProtocolVersion",
        TestCommand = "Test-RpcPlugin",
        ReattachName = "-Name",
        Terraform = "-Terraform",
    };

    private static int hooked;

    /// <inheritdoc />
    public void OnImport()
    {
        if (Interlocked.Exchange(ref hooked, 1) == 0)
        {
            HostTerms.Current = PowerShellTerms;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => SessionRegistry.StopEverything();

            // The first Start-RpcPlugin of a process would make its AutoMTLS certificate while the user waits.
            CertificateWarmup.Begin();
        }
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo module) => SessionRegistry.Current.StopAll();
}
