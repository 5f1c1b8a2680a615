namespace RpcPlugin.Core.Handshake;

/// <summary>The plugin's handshake line, parsed and validated (docs/protocol.md §2).</summary>
/// <param name="CoreVersion">go-plugin's core protocol version (always 1).</param>
/// <param name="AppVersion">The application protocol version the plugin chose.</param>
/// <param name="Network"><c>unix</c> or <c>tcp</c>.</param>
/// <param name="Address">The socket path or <c>host:port</c>.</param>
/// <param name="Protocol">The RPC protocol (always <c>grpc</c> once validated).</param>
/// <param name="ServerCertificate">The DER certificate the plugin advertised for AutoMTLS, or null.</param>
/// <param name="Line">The line as the plugin printed it, trimmed.</param>
public sealed record PluginHandshake(
    int CoreVersion,
    int AppVersion,
    string Network,
    string Address,
    string Protocol,
    byte[]? ServerCertificate,
    string Line);
