namespace RpcPlugin.Core.Invocation;

/// <summary>The services that are go-plugin and gRPC plumbing rather than what the plugin offers (docs/protocol.md §4).</summary>
public static class InternalServices
{
    /// <summary>Whether a service (by full name) is plumbing, hidden unless asked for.</summary>
    public static bool IsInternal(string serviceFullName) =>
        serviceFullName.StartsWith("plugin.", StringComparison.Ordinal)
        || serviceFullName.StartsWith("grpc.health.", StringComparison.Ordinal)
        || serviceFullName.StartsWith("grpc.reflection.", StringComparison.Ordinal);
}
