namespace RpcPlugin;

/// <summary>
/// A plugin started by <c>Start-RpcPlugin</c> or attached by <c>Connect-RpcPlugin</c>. Properties are live:
/// <see cref="State"/> turns <see cref="RpcPluginSessionState.Exited"/> as soon as the process ends.
/// </summary>
public sealed class RpcPluginSession
{
    internal RpcPluginSession(IRpcPluginSessionSource source)
    {
        Source = source;
    }

    /// <summary>The core library's session behind this object.</summary>
    internal IRpcPluginSessionSource Source { get; }

    /// <summary>A number unique within this PowerShell process.</summary>
    public int Id => Source.Id;

    /// <summary>The session's name (<c>-Name</c>, else the executable's name).</summary>
    public string Name => Source.Name;

    /// <summary>The plugin executable, for sessions that started one.</summary>
    public string? FilePath => Source.FilePath;

    /// <summary>Ready, Stopping, Exited, or Disconnected (an attached plugin that Stop-RpcPlugin left running).</summary>
    public RpcPluginSessionState State => Source.State;

    /// <summary>The plugin's process id, when known.</summary>
    public int? ProcessId => Source.ProcessId;

    /// <summary><c>unix</c> or <c>tcp</c>.</summary>
    public string? Network => Source.Network;

    /// <summary>The socket path or <c>host:port</c> the plugin serves on.</summary>
    public string? Address => Source.Address;

    /// <summary>The application protocol version the plugin chose.</summary>
    public int ProtocolVersion => Source.ProtocolVersion;

    /// <summary>Whether the connection uses TLS.</summary>
    public bool Tls => Source.Tls;

    /// <summary>When the session was started or attached.</summary>
    public DateTimeOffset StartTime => Source.StartTime;

    /// <summary>When the process exited or the connection closed.</summary>
    public DateTimeOffset? ExitTime => Source.ExitTime;

    /// <summary>The process exit code once it has exited; 128 + N when a signal N ended it, as shells report it.</summary>
    public int? ExitCode => Source.ExitCode;

    /// <summary>Whether this session started the process and so stops it (false for <c>Connect-RpcPlugin</c>).</summary>
    public bool Owned => Source.Owned;

    /// <summary>
    /// Whether this is a Terraform provider session (<c>-Terraform</c>, or a TF_REATTACH_PROVIDERS value of protocol
    /// 5 or 6): its DynamicValue fields take and give plain values by the provider's schema.
    /// </summary>
    public bool Terraform => Source.Terraform;

    /// <summary>
    /// The gRPC services the plugin offers (internal go-plugin services excluded). Right after a start this waits
    /// (a few seconds at most) for the descriptors to load; null when they cannot be known (the plugin has no
    /// reflection and no -ProtoFile or -DescriptorSet was given, the load failed, or the session closed first).
    /// </summary>
    public string[]? Services => Source.Services?.ToArray();

    /// <inheritdoc />
    public override string ToString() => $"{Name} (Id {Id}, {State})";
}
