using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Transport;

/// <summary>Explains why a call could not reach the plugin, from the exceptions buried in an RpcException.</summary>
internal static class ConnectionFailure
{
    /// <summary>Whether the status means the call never reached the plugin's handler (a transport failure).</summary>
    public static bool IsTransportFailure(RpcException e) =>
        e.StatusCode == StatusCode.Unavailable || (e.StatusCode == StatusCode.Internal && e.Status.DebugException is not null);

    /// <summary>Turns a transport failure at connect time into the error the user should see.</summary>
    /// <param name="e">What gRPC reported.</param>
    /// <param name="tls">How the connection was secured.</param>
    /// <param name="endpoint">Where it went.</param>
    /// <param name="attached">True when attaching to a running plugin, false for one we started.</param>
    public static PluginException Explain(RpcException e, TlsPlan tls, PluginEndpoint endpoint, bool attached = false)
    {
        Exception? root = e.Status.DebugException;
        for (Exception? x = root; x is not null; x = x.InnerException)
        {
            if (x is PluginUnreachableException unreachable)
            {
                return new PluginException(PluginErrorCode.ConnectionFailed, $"Cannot connect to the plugin at {endpoint}: {unreachable.Message}.", e)
                {
                    Transient = unreachable.SocketError is SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.TryAgain,
                    RecommendedAction = attached
                        ? "Check that the plugin is running and that the address is right: a reattach config is good only while the host that printed it keeps the plugin running."
                        : null,
                };
            }

            if (x is AuthenticationException)
            {
                // SslStream says only "Authentication failed, see inner exception"; the reason (an SChannel
                // status on Windows, an OpenSSL error on Linux) is the innermost exception.
                return new PluginException(
                    PluginErrorCode.TlsFailure,
                    $"The TLS handshake with the plugin at {endpoint} failed: {tls.Rejection ?? x.GetBaseException().Message.TrimEnd('.')}.",
                    e)
                {
                    RecommendedAction = tls.PinnedCertificate is not null
                        ? "The plugin must present exactly the certificate it printed in its handshake line; a plugin doing otherwise is misconfigured or is not the process we started."
                        : $"Check {HostTerms.Current.CertificateAuthority} / PLUGIN_CA_CERT and the plugin's certificate.",
                };
            }

            if (x is SocketException socket)
            {
                return new PluginException(
                    PluginErrorCode.ConnectionFailed,
                    $"Cannot connect to the plugin at {endpoint}: {socket.Message} ({socket.SocketErrorCode}).",
                    e)
                {
                    Transient = socket.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.TryAgain,
                };
            }
        }

        string detail = root?.GetBaseException().Message ?? e.Status.Detail;
        for (Exception? x = root; x is not null; x = x.InnerException)
        {
            // HTTP/2 was up and the server sent the connection away (GOAWAY) before serving it, as a server that is
            // stopping does, and as Kestrel did with an "infinite" keep-alive limit to a connection whose preface
            // it read late. Not a certificate problem, and worth another attempt.
            if (x.Message.Contains("server closed the connection", StringComparison.OrdinalIgnoreCase))
            {
                return new PluginException(PluginErrorCode.ConnectionFailed, $"The plugin at {endpoint} closed the new connection ({x.Message}).", e)
                {
                    Transient = true,
                };
            }
        }

        if (tls.UseTls && (root is IOException || root is System.Net.Http.HttpRequestException))
        {
            // go-plugin answers a missing or unexpected client certificate by dropping the connection, which
            // surfaces only as an HTTP/2 failure (docs/protocol.md §3).
            return new PluginException(
                PluginErrorCode.TlsFailure,
                $"The plugin at {endpoint} closed the TLS connection before HTTP/2 started ({detail}); it most likely refused our client certificate.",
                e)
            {
                RecommendedAction = $"If the plugin expects a certificate of its own choosing, pass it with {HostTerms.Current.ClientCertificate}; if it does not speak TLS at all, try {HostTerms.Current.NoAutoMtls}.",
            };
        }

        return new PluginException(
            PluginErrorCode.ConnectionFailed,
            $"Cannot talk gRPC to the plugin at {endpoint}: {detail}.",
            e)
        {
            RecommendedAction = tls.UseTls ? null
                : attached ? $"If the plugin speaks TLS, pass {HostTerms.Current.CertificateAuthority} (the CA that signed its certificate)."
                : $"If the plugin expects TLS without printing a certificate in its handshake, pass {HostTerms.Current.CertificateAuthority}.",
        };
    }

    /// <summary>We spoke plaintext to a plugin that speaks TLS (it has a certificate of its own and printed none).</summary>
    public static PluginException PlaintextToTls(RpcException e, PluginEndpoint endpoint, bool attached) =>
        new(
            PluginErrorCode.TlsFailure,
            attached
                ? $"The plugin at {endpoint} speaks TLS, but the connection was plaintext, so it hung up."
                : $"The plugin at {endpoint} speaks TLS with a certificate of its own, but its handshake offered none to pin, so the connection was plaintext and the plugin hung up.",
            e)
        {
            RecommendedAction = $"Pass {HostTerms.Current.CertificateAuthority} (or set PLUGIN_CA_CERT) with the CA that signed the plugin's certificate, and {HostTerms.Current.ClientCertificate} if it asks for one.",
        };
}
