namespace RpcPlugin.Core.Errors;

/// <summary>
/// What went wrong, as a stable code. <see cref="RpcPluginException.ErrorId"/> is <c>RpcPlugin.</c> followed by the
/// name; scripts and tests depend on these names, so they never change.
/// </summary>
public enum PluginErrorCode
{
    /// <summary>The plugin executable does not exist or cannot be run.</summary>
    PluginNotFound,

    /// <summary>The plugin process exited (before its handshake, or while in use).</summary>
    PluginExited,

    /// <summary>No handshake line arrived before the start timeout.</summary>
    HandshakeTimeout,

    /// <summary>The handshake line could not be understood or names something we do not speak.</summary>
    HandshakeInvalid,

    /// <summary>The plugin speaks a core or application protocol version we did not offer.</summary>
    ProtocolVersionMismatch,

    /// <summary>The plugin refused to run because the magic cookie was missing or wrong.</summary>
    MagicCookieRejected,

    /// <summary>The TLS connection could not be established or the plugin's certificate was not the pinned one.</summary>
    TlsFailure,

    /// <summary>The plugin's address could not be reached.</summary>
    ConnectionFailed,

    /// <summary>The session was stopped or has exited, so it cannot be used.</summary>
    SessionClosed,

    /// <summary>No session matches the name or id given, or none was given and there is not exactly one.</summary>
    SessionNotFound,

    /// <summary>The executable's checksum did not match; nothing was started.</summary>
    ChecksumMismatch,

    /// <summary>An argument was not acceptable.</summary>
    InvalidArgument,

    /// <summary>A .proto file, descriptor set or reflection answer could not be used (syntax error with file:line, missing import, conflicting definitions).</summary>
    DescriptorInvalid,

    /// <summary>No method (or more than one) matches the name given; the message lists the candidates.</summary>
    MethodNotFound,

    /// <summary>A request could not be turned into the method's message; the message names the field path and the reason.</summary>
    InvalidRequest,

    /// <summary>A response could not be decoded with the method's descriptor.</summary>
    InvalidResponse,
}
