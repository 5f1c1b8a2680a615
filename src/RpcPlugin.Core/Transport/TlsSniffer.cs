using System.Net.Security;
using System.Security.Authentication;

namespace RpcPlugin.Core.Transport;

/// <summary>
/// Finds out whether a server that dropped our plaintext HTTP/2 connection speaks TLS: a plugin configured with a
/// certificate of its own prints none in its handshake, so without a CA we speak plaintext to it and it hangs up,
/// which gRPC reports only as "the response ended prematurely". One TLS handshake attempt tells.
/// </summary>
internal static class TlsSniffer
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    /// <summary>Whether the server at the endpoint presented a certificate in a TLS handshake; false when unsure.</summary>
    /// <param name="endpoint">Where the server listens.</param>
    /// <param name="deadline">The caller's deadline, which bounds the attempt too (a start or connect timeout).</param>
    /// <param name="cancellationToken">Ends the attempt.</param>
    public static async Task<bool> SpeaksTlsAsync(PluginEndpoint endpoint, DateTime deadline, CancellationToken cancellationToken)
    {
        bool presented = false;
        TimeSpan left = deadline - DateTime.UtcNow;
        if (left <= TimeSpan.Zero)
        {
            return false;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(left < Limit ? left : Limit);
        try
        {
            await using var stream = await PluginChannelFactory.DialAsync(endpoint, limit.Token).ConfigureAwait(false);
            await using var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => presented = certificate is not null,
                },
                limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or System.IO.IOException or OperationCanceledException)
        {
            // A server that wants a client certificate may end the handshake after presenting its own: still TLS.
        }

        return presented;
    }
}
