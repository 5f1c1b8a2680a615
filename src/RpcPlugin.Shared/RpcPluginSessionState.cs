namespace RpcPlugin;

/// <summary>Where a plugin session is in its life.</summary>
public enum RpcPluginSessionState
{
    /// <summary>The process is starting or the handshake, TLS or connection is under way.</summary>
    Starting,

    /// <summary>Connected: methods can be called.</summary>
    Ready,

    /// <summary>A stop was requested and is in progress.</summary>
    Stopping,

    /// <summary>The plugin process has exited (or, for a session that does not own its process, the connection was closed).</summary>
    Exited,

    /// <summary>The session could not be established or broke in a way that left it unusable.</summary>
    Failed,
}
