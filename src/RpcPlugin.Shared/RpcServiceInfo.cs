namespace RpcPlugin;

/// <summary>A service a plugin serves, as Get-RpcPluginService describes it.</summary>
public sealed class RpcServiceInfo(
    string name,
    RpcMethodInfo[] methods,
    string file,
    string? description,
    string sessionName)
{
    /// <summary>The full service name, e.g. <c>testplugin.Echo</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The service's methods.</summary>
    public RpcMethodInfo[] Methods { get; } = methods;

    /// <summary>The .proto file that defines the service.</summary>
    public string File { get; } = file;

    /// <summary>The service's comment in its .proto file, when the descriptors carry it.</summary>
    public string? Description { get; } = description;

    /// <summary>The session the service was read from.</summary>
    public string SessionName { get; } = sessionName;

    /// <inheritdoc />
    public override string ToString() => Name;
}
