namespace RpcPlugin;

/// <summary>Where a plugin log entry came from.</summary>
public enum RpcPluginLogSource
{
    /// <summary>The plugin process's standard error.</summary>
    Stderr,

    /// <summary>The plugin process's standard output (lines before and after the handshake line).</summary>
    Stdout,

    /// <summary>Standard output forwarded by go-plugin's GRPCStdio service.</summary>
    StdioStdout,

    /// <summary>Standard error forwarded by go-plugin's GRPCStdio service.</summary>
    StdioStderr,
}
