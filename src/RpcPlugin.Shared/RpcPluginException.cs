namespace RpcPlugin;

/// <summary>
/// Base of every error RpcPlugin reports, so that scripts can <c>catch [RpcPlugin.RpcPluginException]</c>. It lives
/// in the small assembly PowerShell loads into its default context, so the type name resolves in scripts.
/// </summary>
public class RpcPluginException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorId">The stable error id, e.g. <c>RpcPlugin.HandshakeTimeout</c>.</param>
    /// <param name="message">What happened, in the user's terms.</param>
    /// <param name="innerException">The failure underneath, if any.</param>
    public RpcPluginException(string errorId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
    }

    /// <summary>The stable error id: <c>RpcPlugin.&lt;Code&gt;</c> or <c>RpcPlugin.Rpc.&lt;StatusCode&gt;</c>.</summary>
    public string ErrorId { get; }

    /// <summary>The plugin's exit code, when it had exited.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The last lines the plugin wrote to standard error, oldest first.</summary>
    public IReadOnlyList<string> StderrTail { get; init; } = Array.Empty<string>();

    /// <summary>What the user can do about it, when there is a useful hint.</summary>
    public string? RecommendedAction { get; init; }
}
