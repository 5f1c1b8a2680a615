namespace RpcPlugin;

/// <summary>Where a plugin session is in its life. A session exists only once its plugin is connected.</summary>
public enum RpcPluginSessionState
{
    /// <summary>Connected: methods can be called.</summary>
    Ready,

    /// <summary>A stop was requested and is in progress.</summary>
    Stopping,

    /// <summary>The plugin process has exited: by itself, or stopped by Stop-RpcPlugin.</summary>
    Exited,

    /// <summary>
    /// The connection was closed by Stop-RpcPlugin while the plugin, which this session did not start
    /// (Connect-RpcPlugin), may still run.
    /// </summary>
    Disconnected,
}
