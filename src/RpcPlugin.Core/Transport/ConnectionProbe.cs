using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Transport;

/// <summary>Checks a new channel end to end before a session is handed out.</summary>
internal static class ConnectionProbe
{
    /// <summary>A channel to the endpoint, proven by <see cref="RunAsync"/>; nothing is left open when the probe fails.</summary>
    /// <param name="endpoint">Where to connect.</param>
    /// <param name="tls">How to secure it.</param>
    /// <param name="maxMessageSize">The message size limit, if any.</param>
    /// <param name="deadline">When to give up.</param>
    /// <param name="attached">True when attaching to a running plugin (no handshake, no start timeout to speak of).</param>
    /// <param name="cancellationToken">Ends the attempt.</param>
    public static async Task<PluginChannels> OpenAsync(PluginEndpoint endpoint, TlsPlan tls, int? maxMessageSize, DateTime deadline, bool attached, CancellationToken cancellationToken)
    {
        PluginChannels channels = PluginChannelFactory.Create(endpoint, tls, maxMessageSize);
        TimeSpan timeout = deadline - DateTime.UtcNow;
        try
        {
            await RunAsync(channels.Internal, tls, endpoint, deadline, attached, timeout, cancellationToken).ConfigureAwait(false);
            return channels;
        }
        catch
        {
            channels.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Proves the connection works (TCP or socket, TLS both ways, HTTP/2) with one health check. Any gRPC answer,
    /// even Unimplemented, proves it; transport failures become errors that say what failed.
    /// </summary>
    private static async Task RunAsync(GrpcChannel channel, TlsPlan tls, PluginEndpoint endpoint, DateTime deadline, bool attached, TimeSpan timeout, CancellationToken cancellationToken)
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
            throw new PluginException(
                PluginErrorCode.ConnectionFailed,
                attached
                    ? $"Nothing answered gRPC at {endpoint} within {timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s."
                    : $"The plugin printed its handshake but did not answer at {endpoint} before the start timeout.",
                e);
        }
        catch (RpcException e) when (ConnectionFailure.IsTransportFailure(e))
        {
            PluginException failure = ConnectionFailure.Explain(e, tls, endpoint, attached);
            if (failure.Code == PluginErrorCode.ConnectionFailed && !tls.UseTls && !failure.Transient
                && await TlsSniffer.SpeaksTlsAsync(endpoint, deadline, cancellationToken).ConfigureAwait(false))
            {
                throw ConnectionFailure.PlaintextToTls(e, endpoint, attached);
            }

            throw failure;
        }
        catch (RpcException)
        {
            // NotFound, Unimplemented...: the plugin answered, so the connection is good.
        }
    }
}
