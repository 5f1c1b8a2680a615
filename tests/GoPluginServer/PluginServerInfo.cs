namespace RpcPlugin.GoPluginServer;

/// <summary>What the running server announced to its host; services can ask for it by dependency injection.</summary>
public sealed class PluginServerInfo
{
    internal PluginServerInfo(string name, int protocolVersion, string network, bool tls)
    {
        Name = name;
        ProtocolVersion = protocolVersion;
        Network = network;
        Tls = tls;
    }

    /// <summary>The plugin's name (<see cref="PluginServerOptions.Name"/>).</summary>
    public string Name { get; }

    /// <summary>The negotiated app protocol version.</summary>
    public int ProtocolVersion { get; }

    /// <summary><c>unix</c> or <c>tcp</c>.</summary>
    public string Network { get; }

    /// <summary>The socket path or <c>127.0.0.1:port</c>; empty until the server listens.</summary>
    public string Address { get; internal set; } = string.Empty;

    /// <summary>Whether the server speaks TLS (AutoMTLS or <see cref="PluginServerOptions.ServerCertificate"/>).</summary>
    public bool Tls { get; }
}
