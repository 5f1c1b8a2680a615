using RpcPlugin.Core.Settings;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Attach;

/// <summary>Everything needed to attach to a plugin that is already running (or any gRPC server).</summary>
public sealed class PluginConnectInfo
{
    /// <summary>Creates connection information for an endpoint.</summary>
    public PluginConnectInfo(PluginEndpoint endpoint)
    {
        Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
    }

    /// <summary>Where the plugin serves.</summary>
    public PluginEndpoint Endpoint { get; }

    /// <summary>The session's name; the address when not given.</summary>
    public string? Name { get; init; }

    /// <summary>The plugin's pid, watched for exit and killed by Stop -Force; null when unknown.</summary>
    public int? ProcessId { get; init; }

    /// <summary>The application protocol version the plugin speaks (from a reattach config), else 0.</summary>
    public int ProtocolVersion { get; init; }

    /// <summary>TLS settings. AutoMTLS is impossible here: no certificate is exchanged when attaching.</summary>
    public PluginTlsOptions Tls { get; init; } = new();

    /// <summary>The deadline for connecting.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest message in either direction, in bytes; unlimited when null.</summary>
    public int? MaxMessageSize { get; init; }

    /// <summary>
    /// Whether the plugin is a Terraform provider (see <see cref="PluginStartInfo.Terraform"/>). When
    /// <see cref="ProtocolVersion"/> is not 5 or 6 (an address without a reattach config), the provider is asked
    /// which it speaks.
    /// </summary>
    public bool Terraform { get; init; }

    /// <summary>Where to find descriptors besides server reflection.</summary>
    public DescriptorOptions Descriptors { get; init; } = new();
}
