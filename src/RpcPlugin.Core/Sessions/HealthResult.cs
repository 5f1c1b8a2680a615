namespace RpcPlugin.Core.Sessions;

/// <summary>The outcome of a health check.</summary>
/// <param name="Service">The health service name that answered (go-plugin: <c>plugin</c>; pyvider: empty).</param>
/// <param name="Status">SERVING, NOT_SERVING, UNKNOWN, SERVICE_UNKNOWN, or the gRPC error that prevented an answer.</param>
/// <param name="Healthy">Whether the plugin answered SERVING and its process (if any) is alive.</param>
/// <param name="ProcessAlive">Whether the plugin process is running (null when the session does not know its process).</param>
/// <param name="ResponseTime">How long the check took.</param>
public sealed record HealthResult(string Service, string Status, bool Healthy, bool? ProcessAlive, TimeSpan ResponseTime);
