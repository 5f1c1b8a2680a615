using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Sessions;

/// <summary>The gRPC health check of a session's plugin, with whether its process still runs.</summary>
public static class PluginHealth
{
    /// <summary>
    /// Checks health with <c>grpc.health.v1.Health/Check</c>: the given service, or <c>plugin</c> (go-plugin) and,
    /// when that is unknown, <c>""</c> (pyvider). A gRPC failure is an unhealthy result, not an exception.
    /// </summary>
    public static async Task<HealthResult> CheckAsync(PluginSession session, string? service, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var watch = Stopwatch.StartNew();
        bool? alive = session.ProcessAlive;
        string asked = service ?? "plugin";
        RpcPluginSessionState state = session.State;
        if (alive == false || state != RpcPluginSessionState.Ready)
        {
            return new HealthResult(asked, state.ToString().ToUpperInvariant(), false, alive, watch.Elapsed);
        }

        DateTime deadline = DateTime.UtcNow + timeout;
        try
        {
            // Read inside the try: a stop or an exit since the state check above closes the session.
            var client = new Health.HealthClient(session.InternalCallInvoker);
            HealthCheckResponse response;
            try
            {
                response = await client.CheckAsync(new HealthCheckRequest { Service = asked }, deadline: deadline, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (service is null && e.StatusCode == StatusCode.NotFound)
            {
                asked = string.Empty;
                response = await client.CheckAsync(new HealthCheckRequest { Service = asked }, deadline: deadline, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            bool serving = response.Status == HealthCheckResponse.Types.ServingStatus.Serving;
            return new HealthResult(asked, StatusName(response.Status), serving && alive != false, alive, watch.Elapsed);
        }
        catch (RpcException e)
        {
            return new HealthResult(asked, e.StatusCode.ToString(), false, session.ProcessAlive, watch.Elapsed);
        }
        catch (Exception e) when (e is PluginException { Code: PluginErrorCode.SessionClosed } or ObjectDisposedException)
        {
            // Stopped or exited under the check (the channel closed): unhealthy, as a check after it would say.
            return new HealthResult(asked, session.State.ToString().ToUpperInvariant(), false, session.ProcessAlive, watch.Elapsed);
        }
    }

    private static string StatusName(HealthCheckResponse.Types.ServingStatus status) => status switch
    {
        HealthCheckResponse.Types.ServingStatus.Serving => "SERVING",
        HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
        HealthCheckResponse.Types.ServingStatus.ServiceUnknown => "SERVICE_UNKNOWN",
        _ => "UNKNOWN",
    };
}
