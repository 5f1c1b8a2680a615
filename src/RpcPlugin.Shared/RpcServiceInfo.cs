namespace RpcPlugin;

/// <summary>A service a plugin serves, as Get-RpcPluginService describes it.</summary>
public sealed class RpcServiceInfo
{
    /// <summary>Creates a description.</summary>
    public RpcServiceInfo(string name, RpcMethodInfo[] methods, string file, string? description, string sessionName)
    {
        Name = name;
        Methods = methods;
        File = file;
        Description = description;
        SessionName = sessionName;
    }

    /// <summary>The full service name, e.g. <c>testplugin.Echo</c>.</summary>
    public string Name { get; }

    /// <summary>The service's methods.</summary>
    public RpcMethodInfo[] Methods { get; }

    /// <summary>The .proto file that defines the service.</summary>
    public string File { get; }

    /// <summary>The service's comment in its .proto file, when the descriptors carry it.</summary>
    public string? Description { get; }

    /// <summary>The session the service was read from.</summary>
    public string SessionName { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
