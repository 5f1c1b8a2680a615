namespace RpcPlugin.Core.Invocation;

/// <summary>
/// What one call did, for a host that wants to show it (Invoke-RpcPluginMethod -Verbose): what went each way and
/// how big it was, how it ended and how long it took, and the metadata that came back.
/// </summary>
/// <param name="Method">The method as users name it: <c>package.Service/Method</c>.</param>
/// <param name="Kind">The method's call shape.</param>
/// <param name="RequestCount">How many requests were sent.</param>
/// <param name="RequestBytes">Their size in protobuf bytes, without gRPC's framing.</param>
/// <param name="ResponseCount">How many responses came back.</param>
/// <param name="ResponseBytes">Their size in protobuf bytes.</param>
/// <param name="Status">The gRPC status the call ended with (<see cref="RpcStatusCode.OK"/>); null when it ended without one (the plugin died, a response did not decode).</param>
/// <param name="Failure">The error id when the call failed (<c>RpcPlugin.Rpc.NotFound</c>, <c>RpcPlugin.PluginExited</c>), else null.</param>
/// <param name="Elapsed">From the call's start to its end.</param>
/// <param name="Metadata">The response headers and trailers.</param>
public sealed record CallReport(
    string Method,
    RpcMethodKind Kind,
    int RequestCount,
    long RequestBytes,
    int ResponseCount,
    long ResponseBytes,
    RpcStatusCode? Status,
    string? Failure,
    TimeSpan Elapsed,
    CallMetadata? Metadata);
