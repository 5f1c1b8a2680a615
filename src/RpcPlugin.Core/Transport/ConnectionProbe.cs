using System;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Transport;

/// <summary>Checks a new channel end to end before a session is handed out.</summary>
internal static class ConnectionProbe
{
    /// <summary>A channel to the endpoint, proven by <see cref="RunAsync"/>; nothing is left open when the probe fails.</summary>
    public static async Task<GrpcChannel> OpenAsync(PluginEndpoint endpoint, TlsPlan tls, int? maxMessageSize, DateTime deadline, CancellationToken cancellationToken)
    {
        GrpcChannel channel = PluginChannelFactory.Create(endpoint, tls, maxMessageSize);
        try
        {
            await RunAsync(channel, tls, endpoint, deadline, cancellationToken).ConfigureAwait(false);
            return channel;
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Proves the connection works (TCP or socket, TLS both ways, HTTP/2) with one health check. Any gRPC answer,
    /// even Unimplemented, proves it; transport failures become errors that say what failed.
    /// </summary>
    public static async Task RunAsync(GrpcChannel channel, TlsPlan tls, PluginEndpoint endpoint, DateTime deadline, CancellationToken cancellationToken)
    {
        var health = new Health.HealthClient(channel);
        try
        {
            await health.CheckAsync(new HealthCheckRequest { Service = "plugin" }, deadline: deadline, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            throw new PluginException(PluginErrorCode.ConnectionFailed, $"The plugin printed its handshake but did not answer at {endpoint} before the start timeout.", e);
        }
        catch (RpcException e) when (ConnectionFailure.IsTransportFailure(e))
        {
            throw ConnectionFailure.Explain(e, tls, endpoint);
        }
        catch (RpcException)
        {
            // NotFound, Unimplemented...: the plugin answered, so the connection is good.
        }
    }
}
