using RpcPlugin.Core.Logs;
using RpcPlugin.Core.Processes;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Sessions;

/// <summary>What a session is made of, gathered by the launcher or the connector.</summary>
/// <param name="Name">The session's name.</param>
/// <param name="FilePath">The executable, for sessions that started one.</param>
/// <param name="Process">The plugin's process: one we started, one we attached to by pid, or null (attached by address).</param>
/// <param name="SocketDirectory">Our private socket directory, removed at stop.</param>
/// <param name="Endpoint">Where the plugin serves.</param>
/// <param name="ProtocolVersion">The application protocol version in use.</param>
/// <param name="Tls">How the connection is secured.</param>
/// <param name="Channels">The connected channels: the module's own and the user's calls'.</param>
/// <param name="Log">The plugin's log.</param>
/// <param name="Descriptors">The session's descriptor sources.</param>
/// <param name="Warnings">What the user should know about the set-up.</param>
/// <param name="OutputDrained">Completes when the plugin's stdout and stderr have been read to their end.</param>
/// <param name="Terraform">Whether the plugin is a Terraform provider (of protocol version 5 or 6).</param>
internal sealed record SessionParts(
    string Name,
    string? FilePath,
    IPluginProcess? Process,
    string? SocketDirectory,
    PluginEndpoint Endpoint,
    int ProtocolVersion,
    TlsPlan Tls,
    PluginChannels Channels,
    PluginLog Log,
    SessionDescriptors Descriptors,
    IReadOnlyList<string> Warnings,
    Task OutputDrained,
    bool Terraform = false);
