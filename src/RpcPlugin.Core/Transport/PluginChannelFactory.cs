using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using RpcPlugin.Core.Handshake;

namespace RpcPlugin.Core.Transport;

/// <summary>
/// Builds the gRPC channel to a plugin: HTTP/2 over a unix socket or tcp, with TLS as the plan says. The connect
/// callback dials the real address; TLS always names the server <c>localhost</c> (the name AutoMTLS certificates
/// carry), so that is the URL's host, with the tcp port (none for a unix socket). The user's message size limit
/// applies to a second channel over the same handler (<see cref="PluginChannels"/>).
/// </summary>
internal static class PluginChannelFactory
{
    public static PluginChannels Create(PluginEndpoint endpoint, TlsPlan tls, int? maxMessageSize)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, cancellationToken) => DialAsync(endpoint, cancellationToken),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (tls.UseTls)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = tls.Validate,
                ClientCertificates = tls.ClientCertificate is null ? null : new X509CertificateCollection { tls.ClientCertificate },

                // Every plugin is its own server behind the one name "localhost": a session ticket from one
                // plugin cannot resume at another, so offering it gains nothing and shows a plugin another's state.
                AllowTlsResume = false,
            };
        }

        string url = Url(endpoint, tls.UseTls);

        // Both channels use the one handler, hence its connections; the internal one owns it.
        GrpcChannel Channel(int? limit, bool ownsHandler) => GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = ownsHandler,
            MaxReceiveMessageSize = limit,
            MaxSendMessageSize = limit,
        });

        GrpcChannel @internal = Channel(null, ownsHandler: true);
        return new PluginChannels(@internal, maxMessageSize is null ? @internal : Channel(maxMessageSize, ownsHandler: false));
    }

    /// <summary>Opens a stream to the endpoint; a refusal or a missing socket is a <see cref="PluginUnreachableException"/>.</summary>
    public static async ValueTask<Stream> DialAsync(PluginEndpoint endpoint, CancellationToken cancellationToken)
    {
        Socket socket;
        EndPoint target;
        if (endpoint.Network == "unix")
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            target = new UnixDomainSocketEndPoint(endpoint.Address);
        }
        else
        {
            TcpAddress.TryParse(endpoint.Address, out string host, out int port);
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            target = IPAddress.TryParse(host, out IPAddress? ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
        }

        try
        {
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw PluginUnreachableException.From(endpoint, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // TLS takes its server name from the URL, and AutoMTLS certificates name localhost: the host stays localhost,
    // the port is the real one, so that a connection error .NET words as "(host:port)" shows the port dialled.
    private static string Url(PluginEndpoint endpoint, bool tls) =>
        (tls ? "https://localhost" : "http://localhost")
        + (endpoint.Network == "tcp" && TcpAddress.TryParse(endpoint.Address, out _, out int port) ? ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
}
