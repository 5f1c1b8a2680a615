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
/// TLS with the certificate in <see cref="PluginServerOptions.ServerCertificate"/>, like go-plugin's
/// <c>ServeConfig.TLSProvider</c> or pyvider-rpcplugin's <c>PLUGIN_SERVER_CERT</c>/<c>PLUGIN_SERVER_KEY</c>:
/// nothing goes in the handshake line (the host must know how to verify the server, e.g. from a CA), and
/// <c>PLUGIN_CLIENT_CERT</c> is ignored. With <see cref="PluginServerOptions.ClientCertificateAuthority"/> the
/// client must present a certificate that chains to it; without, no client certificate is asked for.
/// </summary>
/// <remarks>As with AutoMTLS, the chain is prepared on another thread while the host is built.</remarks>
internal sealed class ManualTls : IServerTls
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private readonly Task<Credentials> _credentials;
    private readonly X509Certificate2Collection? _authorities;
    private readonly HclogLogger _log;

    private ManualTls(Task<Credentials> credentials, X509Certificate2Collection? authorities, HclogLogger log)
    {
        _credentials = credentials;
        _authorities = authorities;
        _log = log;
    }

    /// <summary>Null when the options give no server certificate.</summary>
    public static ManualTls? Start(PluginServerOptions options, HclogLogger log)
    {
        if (options.ServerCertificate is not { } certificate)
        {
            return null;
        }

        var chain = options.ServerCertificateChain;
        var authorities = options.ClientCertificateAuthority;
        return new ManualTls(
            Task.Run(() =>
            {
                log.Info(
                    "configuring server TLS with the plugin's certificate",
                    ("subject", certificate.Subject),
                    ("client_certificate", authorities is null ? "not requested" : "required"));
                if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(AutoMtls.ClientCertVariable)))
                {
                    log.Debug("ignoring PLUGIN_CLIENT_CERT: the plugin has a TLS certificate of its own, so no AutoMTLS");
                }

                var served = ForSslStream(certificate);
                return new Credentials(
                    SslStreamCertificateContext.Create(served, chain, offline: true),
                    ReferenceEquals(served, certificate) ? null : served);
            }),
            authorities,
            log);
    }

    /// <summary>Checks the TLS options before anything starts; a mistake there is the plugin author's.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static void Validate(PluginServerOptions options)
    {
        if (options.ServerCertificate is null)
        {
            if (options.ClientCertificateAuthority is not null || options.ServerCertificateChain is not null)
            {
                throw new ArgumentException(
                    $"{nameof(PluginServerOptions.ClientCertificateAuthority)} and {nameof(PluginServerOptions.ServerCertificateChain)} need {nameof(PluginServerOptions.ServerCertificate)}.",
                    nameof(options));
            }

            return;
        }

        if (!options.ServerCertificate.HasPrivateKey)
        {
            throw new ArgumentException($"{nameof(PluginServerOptions.ServerCertificate)} has no private key.", nameof(options));
        }

        if (options.ClientCertificateAuthority is { Count: 0 })
        {
            throw new ArgumentException($"{nameof(PluginServerOptions.ClientCertificateAuthority)} holds no certificate.", nameof(options));
        }
    }

    public async Task<string?> GetHandshakeFieldAsync()
    {
        await _credentials;
        return null;
    }

    public void Apply(ListenOptions listen) => listen.UseHttps(new TlsHandshakeCallbackOptions
    {
        OnConnection = async _ => new SslServerAuthenticationOptions
        {
            ServerCertificateContext = (await _credentials).Context,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            ClientCertificateRequired = _authorities is not null,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = _authorities is null ? (_, _, _, _) => true : IsClientTrusted,
        },
    });

    public void Dispose()
    {
        // The given certificates belong to the caller; only a copy made for SChannel is ours.
        if (_credentials.IsCompletedSuccessfully)
        {
            _credentials.Result.OwnCopy?.Dispose();
        }
    }

    // Go's tls.RequireAndVerifyClientCert: a certificate that chains to the CA pool and allows clientAuth.
    private bool IsClientTrusted(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            _log.Warn("refused a TLS client: it presented no certificate, and one signed by the client CA is required");
            return false;
        }

        using var client = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        if (presented is not null)
        {
            // The intermediates the client sent along with its certificate.
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        if (chain.Build(client))
        {
            return true;
        }

        _log.Warn(
            "refused a TLS client certificate",
            ("subject", client.Subject),
            ("reason", string.Join("; ", Array.ConvertAll(chain.ChainStatus, status => status.StatusInformation.Trim()))));
        return false;
    }

    // SChannel cannot serve TLS from an ephemeral key (a certificate loaded from PEM has one): give it a
    // persisted copy. Other platforms use the certificate as it is.
    private static X509Certificate2 ForSslStream(X509Certificate2 certificate)
    {
        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException)
        {
            // A key that cannot be exported is already persisted somewhere SChannel can use it.
            return certificate;
        }
    }

    private sealed record Credentials(SslStreamCertificateContext Context, X509Certificate2? OwnCopy);
}
