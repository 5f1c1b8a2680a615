using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RpcPlugin.GoPluginServer;

/// <summary>The certificate go-plugin's <c>generateCert</c> (mtls.go) makes for AutoMTLS.</summary>
internal static class SelfSignedCertificate
{
    public static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA512);

        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement | X509KeyUsageFlags.KeyCertSign,
            critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication"), new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")],
            critical: false));

        var now = DateTimeOffset.UtcNow;
        var certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), now.AddSeconds(-30), now.AddYears(30), RandomSerial());
        var withKey = certificate.CopyWithPrivateKey(key);
        certificate.Dispose();
        if (!OperatingSystem.IsWindows())
        {
            return withKey;
        }

        // SChannel cannot use an ephemeral key for a TLS server: give it a persisted copy.
        using (withKey)
        {
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
    }

    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a DER INTEGER with its top bit set would be negative
        return serial;
    }
}
