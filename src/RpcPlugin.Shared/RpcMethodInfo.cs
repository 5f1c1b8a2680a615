namespace RpcPlugin;

/// <summary>A method a plugin serves, as Get-RpcPluginMethod describes it.</summary>
public sealed class RpcMethodInfo(
    string service,
    string name,
    RpcMethodKind kind,
    string requestType,
    string responseType,
    string? description,
    string sessionName,
    RpcPluginSession? session = null)
{
    /// <summary>The full service name, e.g. <c>testplugin.Echo</c>.</summary>
    public string Service { get; } = service;

    /// <summary>The method's name, e.g. <c>Unary</c>.</summary>
    public string Name { get; } = name;

    /// <summary>What Invoke-RpcPluginMethod takes: <c>testplugin.Echo/Unary</c>.</summary>
    public string FullName => Service + "/" + Name;

    /// <summary>Unary, ServerStreaming, ClientStreaming or DuplexStreaming.</summary>
    public RpcMethodKind Kind { get; } = kind;

    /// <summary>The full name of the request message.</summary>
    public string RequestType { get; } = requestType;

    /// <summary>The full name of the response message.</summary>
    public string ResponseType { get; } = responseType;

    /// <summary>The method's comment in its .proto file, when the descriptors carry it.</summary>
    public string? Description { get; } = description;

    /// <summary>The session the method was read from.</summary>
    public string SessionName { get; } = sessionName;

    /// <summary>
    /// That session, when known: piped into Invoke-RpcPluginMethod or New-RpcPluginMessage, the method names both
    /// itself and the session it belongs to.
    /// </summary>
    public RpcPluginSession? Session { get; } = session;

    /// <inheritdoc />
    public override string ToString() => FullName;
}
