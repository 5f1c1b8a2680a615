namespace RpcPlugin;

/// <summary>A method a plugin serves, as Get-RpcPluginMethod describes it.</summary>
public sealed class RpcMethodInfo
{
    /// <summary>Creates a description.</summary>
    public RpcMethodInfo(string service, string name, RpcMethodKind kind, string requestType, string responseType, string? description, string sessionName, RpcPluginSession? session = null)
    {
        Session = session;
        Service = service;
        Name = name;
        Kind = kind;
        RequestType = requestType;
        ResponseType = responseType;
        Description = description;
        SessionName = sessionName;
    }

    /// <summary>The full service name, e.g. <c>testplugin.Echo</c>.</summary>
    public string Service { get; }

    /// <summary>The method's name, e.g. <c>Unary</c>.</summary>
    public string Name { get; }

    /// <summary>What Invoke-RpcPluginMethod takes: <c>testplugin.Echo/Unary</c>.</summary>
    public string FullName => Service + "/" + Name;

    /// <summary>Unary, ServerStreaming, ClientStreaming or DuplexStreaming.</summary>
    public RpcMethodKind Kind { get; }

    /// <summary>The full name of the request message.</summary>
    public string RequestType { get; }

    /// <summary>The full name of the response message.</summary>
    public string ResponseType { get; }

    /// <summary>The method's comment in its .proto file, when the descriptors carry it.</summary>
    public string? Description { get; }

    /// <summary>The session the method was read from.</summary>
    public string SessionName { get; }

    /// <summary>
    /// That session, when known: piped into Invoke-RpcPluginMethod or New-RpcPluginMessage, the method names both
    /// itself and the session it belongs to.
    /// </summary>
    public RpcPluginSession? Session { get; }

    /// <inheritdoc />
    public override string ToString() => FullName;
}
