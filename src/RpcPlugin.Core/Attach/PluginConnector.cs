using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Logs;
using RpcPlugin.Core.Processes;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;
using RpcPlugin.Core.Terraform;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Attach;

/// <summary>
/// Attaches to a plugin that is already running (go-plugin reattach, Terraform's TF_REATTACH_PROVIDERS) or to any
/// gRPC server at an address. The session does not own the process: stopping it closes the connection only.
/// </summary>
public static class PluginConnector
{
    /// <summary>Connects and returns a ready, not-owned session.</summary>
    /// <exception cref="PluginException">The address cannot be reached, TLS fails, or the descriptors are invalid.</exception>
    public static async Task<PluginSession> ConnectAsync(PluginConnectInfo info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        TimeoutRange.Check(info.Timeout, "connection timeout");
        DateTime deadline = DateTime.UtcNow + info.Timeout;
        string name = info.Name ?? info.Endpoint.ToString();
        if (info.ProcessId is int pid && !ExternalProcess.IsAlive(pid))
        {
            throw new PluginException(PluginErrorCode.ConnectionFailed, $"The plugin to attach to (pid {pid}) is not running.")
            {
                RecommendedAction = "Reattach configs are valid only while the host that printed them keeps the plugin running.",
            };
        }

        TlsPlan.Check(info.Tls);
        SessionDescriptors descriptors = SessionDescriptors.Prepare(info.Descriptors);
        TlsPlan tls = TlsPlan.Decide(null, null, info.Tls, attached: true);
        PluginChannels channels = await ConnectionProbe.OpenAsync(info.Endpoint, tls, info.MaxMessageSize, deadline, attached: true, cancellationToken).ConfigureAwait(false);
        PluginSession session;
        IPluginProcess? process = null;
        try
        {
            int version = info.ProtocolVersion;
            if (info.Terraform && !TerraformProtocol.IsProviderProtocol(version))
            {
                version = await TerraformVersionProbe.DetectAsync(channels.Internal, name, deadline, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var warnings = new List<string>();
            if (ForeignSocket.OwnerWarning(info.Endpoint) is { } foreign)
            {
                warnings.Add(foreign);
            }

            process = info.ProcessId is int watched ? new AttachedProcess(watched) : null;
            session = new PluginSession(new SessionParts(
                name, null, process, null, info.Endpoint, version, tls, channels, new PluginLog(name), descriptors, warnings, Task.CompletedTask, info.Terraform));
        }
        catch
        {
            // Until the session holds them, the connections are ours to close: a refused or cancelled connect
            // must not leave them open (the plugin's idle timeout may be infinite).
            channels.Dispose();
            process?.Dispose();
            throw;
        }

        session.PrefetchDescriptors();
        return session;
    }
}
