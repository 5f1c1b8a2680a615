namespace RpcPlugin;

/// <summary>The level of a plugin log entry, as hclog names them.</summary>
public enum RpcPluginLogLevel
{
    /// <summary>Finest detail.</summary>
    Trace,

    /// <summary>Diagnostic detail; also the level of plain lines that carry no level.</summary>
    Debug,

    /// <summary>Normal operation.</summary>
    Info,

    /// <summary>Something unexpected that the plugin survived.</summary>
    Warn,

    /// <summary>A failure, or anything after a Go panic.</summary>
    Error,
}
