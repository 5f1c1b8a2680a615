using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Core.Transport;

/// <summary>
/// How to secure one connection, decided from the handshake and the user's settings, and the certificate check
/// that goes with it. Remembers why it refused a certificate, because SslStream reports only that it did.
/// </summary>
internal sealed class TlsPlan
{
    private TlsPlan(bool useTls, X509Certificate2? clientCertificate, byte[]? pinned, X509Certificate2Collection? authorities, bool verifyServer)
    {
        UseTls = useTls;
        ClientCertificate = clientCertificate;
        PinnedCertificate = pinned;
        Authorities = authorities;
        VerifyServer = verifyServer;
    }

    public bool UseTls { get; }

    public X509Certificate2? ClientCertificate { get; }

    /// <summary>The exact certificate the plugin advertised; nothing else is accepted.</summary>
    public byte[]? PinnedCertificate { get; }

    public X509Certificate2Collection? Authorities { get; }

    public bool VerifyServer { get; }

    /// <summary>Why the last certificate was refused, for the error message.</summary>
    public string? Rejection { get; private set; }

    public static TlsPlan Plaintext { get; } = new(false, null, null, null, true);

    /// <summary>
    /// Decides: a certificate in the handshake means TLS pinned to it (AutoMTLS, or a pyvider server that always
    /// speaks TLS); otherwise manual settings mean TLS verified against the given CA; otherwise plaintext.
    /// </summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.TlsFailure"/> when TLS is required but nothing provides it.</exception>
    public static TlsPlan Decide(byte[]? advertised, X509Certificate2? autoMtlsCertificate, PluginTlsOptions options, bool attached = false)
    {
        X509Certificate2? client = options.ClientCertificate ?? autoMtlsCertificate;
        if (advertised is not null)
        {
            return new TlsPlan(true, client, advertised, null, true);
        }

        if (options.IsManual)
        {
            X509Certificate2Collection? authorities = options.CertificateAuthorityPath is null ? null : LoadAuthorities(options.CertificateAuthorityPath);
            return new TlsPlan(true, client, null, authorities, options.VerifyServer);
        }

        if (options.RequireTls && attached)
        {
            throw new PluginException(
                PluginErrorCode.TlsFailure,
                $"TLS is required ({HostTerms.Current.RequireTls}), but attaching exchanges no certificate and no CA was given, so the connection would be plaintext.")
            {
                RecommendedAction = $"Pass {HostTerms.Current.CertificateAuthority} (or set PLUGIN_CA_CERT) with the CA that signed the plugin's certificate.",
            };
        }

        if (options.RequireTls)
        {
            throw new PluginException(
                PluginErrorCode.TlsFailure,
                $"The plugin offered no TLS certificate in its handshake and {HostTerms.Current.RequireTls} was given, so the plaintext connection was refused.")
            {
                RecommendedAction = $"Leave AutoMTLS on (it is unless {HostTerms.Current.NoAutoMtls} or PLUGIN_AUTO_MTLS=false), or pass {HostTerms.Current.CertificateAuthority} for a plugin configured with its own certificate.",
            };
        }

        return Plaintext;
    }

    /// <summary>
    /// Checks the user's TLS settings before anything starts or connects: a client certificate must come with its
    /// private key (without it the TLS handshake cannot prove we hold it, and the plugin would refuse us later),
    /// and a CA file must be readable.
    /// </summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/> or <see cref="PluginErrorCode.TlsFailure"/>.</exception>
    public static void Check(PluginTlsOptions options)
    {
        if (options.ClientCertificate is { HasPrivateKey: false } certificate)
        {
            throw new PluginException(
                PluginErrorCode.InvalidArgument,
                $"The client certificate '{certificate.Subject}' (thumbprint {certificate.Thumbprint}) has no private key, so it cannot be presented in a TLS handshake.")
            {
                RecommendedAction = "Give the certificate together with its key: from a .pfx file, from the certificate store, or with [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile(certFile, keyFile).",
            };
        }

        if (options.CertificateAuthorityPath is not null)
        {
            LoadAuthorities(options.CertificateAuthorityPath); // a bad CA path fails before anything runs
        }
    }

    /// <summary>Loads a PEM CA file given as a path or a <c>file://</c> URI.</summary>
    public static X509Certificate2Collection LoadAuthorities(string pathOrUri)
    {
        string path = pathOrUri.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(pathOrUri).LocalPath : pathOrUri;
        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            if (collection.Count == 0)
            {
                throw new CryptographicException("the file holds no PEM certificate");
            }

            return collection;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new PluginException(PluginErrorCode.TlsFailure, $"Cannot read the CA certificate file '{path}': {e.Message}.", e)
            {
                RecommendedAction = $"Give {HostTerms.Current.CertificateAuthority} (or PLUGIN_CA_CERT) the path of a PEM file with the CA's certificate.",
            };
        }
    }

    /// <summary>The server-certificate check for SslStream.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Rejection = "the plugin presented no certificate";
            return false;
        }

        if (PinnedCertificate is not null)
        {
            // The advertised certificate names localhost while we may dial 127.0.0.1: names prove nothing here,
            // the exact bytes do.
            if (certificate.GetRawCertData().AsSpan().SequenceEqual(PinnedCertificate))
            {
                return true;
            }

            using var presented = new X509Certificate2(certificate);
            Rejection = $"the plugin presented a certificate other than the one in its handshake (presented '{presented.Subject}', thumbprint {presented.Thumbprint})";
            return false;
        }

        if (!VerifyServer)
        {
            return true;
        }

        if (Authorities is null)
        {
            Rejection = errors == SslPolicyErrors.None ? null : $"the certificate is not trusted ({errors})";
            return errors == SslPolicyErrors.None;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // The intermediates the plugin sent: without them a certificate issued by an intermediate of the
            // given root CA could not be chained.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (X509ChainElement element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        using var server = new X509Certificate2(certificate);
        if (custom.Build(server))
        {
            return true;
        }

        Rejection = $"the certificate '{server.Subject}' does not chain to the given CA";
        return false;
    }

    /// <summary>A short description for verbose output.</summary>
    public string Describe() => !UseTls ? "plaintext"
        : PinnedCertificate is not null ? (ClientCertificate is null ? "TLS, server certificate pinned" : "mutual TLS, server certificate pinned")
        : Authorities is not null ? "TLS, verified against the given CA"
        : VerifyServer ? "TLS, verified against the system trust store" : "TLS, server NOT verified";
}
