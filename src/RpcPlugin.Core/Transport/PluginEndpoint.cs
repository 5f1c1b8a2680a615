namespace RpcPlugin.Core.Transport;

/// <summary>Where a plugin serves: a unix socket path or a tcp <c>host:port</c>.</summary>
/// <param name="Network"><c>unix</c> or <c>tcp</c>.</param>
/// <param name="Address">The socket path or <c>host:port</c>.</param>
public sealed record PluginEndpoint(string Network, string Address)
{
    /// <inheritdoc />
    public override string ToString() => Network == "unix" ? "unix://" + Address : Address;
}
