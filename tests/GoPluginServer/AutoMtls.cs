using System;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace RpcPlugin.GoPluginServer;

/// <summary>
/// go-plugin's automatic mutual TLS: the host sends its certificate in <c>PLUGIN_CLIENT_CERT</c>; the plugin makes
/// its own, announces it in the handshake line and accepts only that one client certificate.
/// </summary>
/// <remarks>
/// Preparing a server certificate for SslStream builds its chain, which on Linux reads the whole system trust store
/// (about 80 ms here). That work runs on another thread while the host is built, instead of adding to the time
/// before the handshake line or to the first call.
/// </remarks>
internal sealed class AutoMtls : IServerTls
{
    public const string ClientCertVariable = "PLUGIN_CLIENT_CERT";

    private readonly Task<Credentials> _credentials;

    private AutoMtls(Task<Credentials> credentials) => _credentials = credentials;

    /// <summary>Null when the host did not ask for AutoMTLS: the server then speaks plaintext h2c.</summary>
    public static AutoMtls? Start(HclogLogger log, bool presentDifferentCertificate)
    {
        var pem = Environment.GetEnvironmentVariable(ClientCertVariable);
        if (string.IsNullOrEmpty(pem))
        {
            return null;
        }

        return new AutoMtls(Task.Run(() =>
        {
            log.Info("configuring server automatic mTLS");
            return Credentials.Create(pem, presentDifferentCertificate, log);
        }));
    }

    /// <summary>The handshake's certificate field: the DER, standard base64 without padding (Go's RawStdEncoding).</summary>
    public async Task<string?> GetHandshakeFieldAsync()
    {
        var credentials = await _credentials;
        return Convert.ToBase64String(credentials.Advertised.RawData).TrimEnd('=');
    }

    public void Apply(ListenOptions listen) => listen.UseHttps(new TlsHandshakeCallbackOptions
    {
        OnConnection = async _ => (await _credentials).ServerOptions(),
    });

    public void Dispose()
    {
        if (_credentials.IsCompletedSuccessfully)
        {
            _credentials.Result.Dispose();
        }
    }

    private sealed class Credentials(byte[]? client, X509Certificate2 advertised, X509Certificate2 presented) : IDisposable
    {
        private readonly SslStreamCertificateContext _context = SslStreamCertificateContext.Create(presented, additionalCertificates: null, offline: true);

        public X509Certificate2 Advertised { get; } = advertised;

        public static Credentials Create(string pem, bool presentDifferentCertificate, HclogLogger log)
        {
            var client = ParseCertificate(pem);
            if (client is null)
            {
                // go-plugin carries on too; every client is then refused at the TLS handshake.
                log.Error("client cert provided but failed to parse", ("cert", pem));
            }

            var advertised = SelfSignedCertificate.Create();
            return new Credentials(client, advertised, presentDifferentCertificate ? SelfSignedCertificate.Create() : advertised);
        }

        public SslServerAuthenticationOptions ServerOptions() => new()
        {
            ServerCertificateContext = _context,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            ClientCertificateRequired = true,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => IsTheClientCertificate(certificate),
        };

        public void Dispose()
        {
            presented.Dispose();
            Advertised.Dispose();
        }

        // Go verifies against a pool holding only the host's certificate; pinning its exact bytes is the same trust.
        private bool IsTheClientCertificate(X509Certificate? certificate) =>
            client is not null && certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(client);

        private static byte[]? ParseCertificate(string pem)
        {
            if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                return null;
            }

            try
            {
                var der = Convert.FromBase64String(pem[fields.Base64Data]);
                using var check = X509CertificateLoader.LoadCertificate(der);
                return der;
            }
            catch (Exception e) when (e is FormatException or CryptographicException)
            {
                return null;
            }
        }
    }
}
