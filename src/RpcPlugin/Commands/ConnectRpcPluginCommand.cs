using System.Management.Automation;
using RpcPlugin.Arguments;
using RpcPlugin.Bases;
using RpcPlugin.Core.Attach;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;
using RpcPlugin.Core.Terraform;
using RpcPlugin.Core.Transport;
using RpcPlugin.State;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Attaches to a plugin that is already running, or to any gRPC server.</para>
/// <para type="description">-ReattachConfig takes go-plugin's ReattachConfig JSON or a Terraform TF_REATTACH_PROVIDERS
/// value (-Name picks the provider); -Address takes unix:///path or host:port. The session does not own the
/// process: Stop-RpcPlugin closes the connection and leaves the plugin running, unless -Force. AutoMTLS is not
/// possible when attaching (no certificate is exchanged); use -CertificateAuthority for a TLS server.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "RpcPlugin", DefaultParameterSetName = ByReattach)]
[OutputType(typeof(RpcPluginSession))]
public sealed class ConnectRpcPluginCommand : PluginConnectionCmdletBase
{
    private const string ByReattach = "ReattachConfig";
    private const string ByAddress = "Address";

    /// <summary>go-plugin's ReattachConfig JSON, or a Terraform TF_REATTACH_PROVIDERS value.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByReattach, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string ReattachConfig { get; set; } = string.Empty;

    /// <summary>The address: unix:///path/to/socket, host:port or tcp://host:port.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByAddress)]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = string.Empty;

    /// <summary>How long to try to connect (default 10 s, or PLUGIN_CONNECTION_TIMEOUT).</summary>
    [Parameter]
    [TimeSpanArgument]
    public TimeSpan? Timeout { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        object target = ParameterSetName == ByReattach ? ReattachConfig : Address;
        try
        {
            CheckTextParameters();
            ClientDefaults defaults = ClientDefaults.FromEnvironment();
            PluginEndpoint endpoint;
            int? pid = null;
            int version = 0;
            bool terraform = Terraform;
            string? name = Name;
            if (ParameterSetName == ByReattach)
            {
                ReattachConfig config = Core.Attach.ReattachConfig.Parse(ReattachConfig, Name);
                (endpoint, pid, version) = (config.Endpoint, config.Pid, config.ProtocolVersion);
                name ??= config.Key;

                // A TF_REATTACH_PROVIDERS value of protocol 5 or 6 is a Terraform provider, unless -Terraform:$false.
                terraform |= config.Key is not null && TerraformProtocol.IsProviderProtocol(version) && !MyInvocation.BoundParameters.ContainsKey(nameof(Terraform));
            }
            else
            {
                endpoint = EndpointParser.Parse(Address);
            }

            var info = new PluginConnectInfo(endpoint)
            {
                Name = name,
                ProcessId = pid,
                ProtocolVersion = version,
                Tls = BuildTls(defaults),
                Timeout = Timeout ?? defaults.StartTimeout,
                MaxMessageSize = MaxMessageSize,
                Descriptors = BuildDescriptors(),
                Terraform = terraform,
            };
            WriteVerbose($"Connecting to {endpoint}{(pid is null ? string.Empty : $" (pid {pid})")}.");
            PluginSession session = OpenSession(
                token => PluginConnector.ConnectAsync(info, token),
                connected =>
                {
                    WriteVerbose($"Connected to '{connected.Name}' at {connected.Endpoint}, {connected.TlsDescription}; the session does not own the process.");
                    foreach (string warning in connected.Warnings)
                    {
                        WriteWarning(warning);
                    }
                });

            WriteObject(session.Info);
        }
        catch (Exception e) when (e is PluginException or ArgumentException)
        {
            ThrowFailure(e, target);
        }
    }
}
