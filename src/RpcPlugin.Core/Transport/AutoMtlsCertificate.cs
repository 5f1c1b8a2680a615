using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Transport;

/// <summary>
/// The client certificate of go-plugin's AutoMTLS (mtls.go): self-signed ECDSA P-521, CN and DNS name localhost,
/// random 128-bit serial, usable for client and server auth, a CA, valid from 30 s ago for 30 years. It lives in
/// memory only; the plugin receives the certificate (never the key) in <c>PLUGIN_CLIENT_CERT</c>. Each start gets a
/// new one; the first of a process may have been made ahead (<see cref="CertificateWarmup"/>).
/// </summary>
internal static class AutoMtlsCertificate
{
    /// <exception cref="PluginException"><see cref="PluginErrorCode.TlsFailure"/> when the platform cannot make the key.</exception>
    public static X509Certificate2 Create()
    {
        try
        {
            return CreateCore();
        }
        catch (CryptographicException e)
        {
            // Seen under Wine, whose CNG has no ECDSA key generation (NTE_NOT_SUPPORTED): nothing was started yet.
            throw new PluginException(
                PluginErrorCode.TlsFailure,
                $"Cannot create the AutoMTLS client certificate (an ECDSA P-521 key) on this system: {e.Message.TrimEnd('.')}.",
                e)
            {
                RecommendedAction = $"Start the plugin without AutoMTLS ({HostTerms.Current.NoAutoMtls} or PLUGIN_AUTO_MTLS=false), over plaintext or with {HostTerms.Current.CertificateAuthority} for a plugin that serves its own certificate.",
            };
        }
    }

    private static X509Certificate2 CreateCore()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        var request = new CertificateRequest("CN=localhost, O=RpcPlugin", key, HashAlgorithmName.SHA512);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement | X509KeyUsageFlags.KeyCertSign,
            true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.1") },
            false));

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // keep it positive
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), now.AddSeconds(-30), now.AddYears(30), serial);
        X509Certificate2 withKey = certificate.CopyWithPrivateKey(key);
        certificate.Dispose();
        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use an ephemeral key; a PKCS#12 round trip gives it one it can (docs/protocol.md §11).
            using (withKey)
            {
                return new X509Certificate2(withKey.Export(X509ContentType.Pkcs12), (string?)null, X509KeyStorageFlags.Exportable);
            }
        }

        return withKey;
    }

    /// <summary>The certificate alone, PEM-encoded, as go-plugin expects in PLUGIN_CLIENT_CERT.</summary>
    public static string ToPem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";
}
