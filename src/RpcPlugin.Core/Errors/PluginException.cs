namespace RpcPlugin.Core.Errors;

/// <summary>
/// The exception the core library throws for failures a user can meet, other than a call's gRPC status (that is
/// <see cref="RpcCallException"/>). The cmdlets turn it into an ErrorRecord whose ErrorId is
/// <see cref="RpcPluginException.ErrorId"/>.
/// </summary>
public sealed class PluginException : RpcPluginException
{
    /// <summary>Creates the exception.</summary>
    public PluginException(PluginErrorCode code, string message, Exception? innerException = null)
        : base("RpcPlugin." + code, message, innerException)
    {
        Code = code;
    }

    /// <summary>What went wrong.</summary>
    public PluginErrorCode Code { get; }

    /// <summary>Whether a new attempt might succeed (a start failure worth retrying, see docs/protocol.md).</summary>
    internal bool Transient { get; init; }
}
