using System;
using System.Collections.Generic;

namespace RpcPlugin.Core.Errors;

/// <summary>
/// The one exception type the core library throws for failures a user can meet. The cmdlets turn it into an
/// ErrorRecord whose ErrorId is <see cref="ErrorId"/>.
/// </summary>
public sealed class PluginException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PluginException(PluginErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>What went wrong.</summary>
    public PluginErrorCode Code { get; }

    /// <summary>The stable error id, e.g. <c>RpcPlugin.HandshakeTimeout</c>.</summary>
    public string ErrorId => "RpcPlugin." + Code;

    /// <summary>The plugin's exit code, when it had exited.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The last lines the plugin wrote to standard error, oldest first.</summary>
    public IReadOnlyList<string> StderrTail { get; init; } = Array.Empty<string>();

    /// <summary>What the user can do about it, when there is a useful hint.</summary>
    public string? RecommendedAction { get; init; }

    /// <summary>Whether a new attempt might succeed (a start failure worth retrying, PROTOCOL §9).</summary>
    internal bool Transient { get; init; }
}
