using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RpcPlugin.Core.Tests;

internal static class TestCertificates
{
    public static X509Certificate2 SelfSigned(string subject = "CN=localhost")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
