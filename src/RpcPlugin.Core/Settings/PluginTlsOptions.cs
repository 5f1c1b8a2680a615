using System.Security.Cryptography.X509Certificates;

namespace RpcPlugin.Core.Settings;

/// <summary>Manual TLS settings, used instead of (or beside) AutoMTLS.</summary>
public sealed class PluginTlsOptions
{
    /// <summary>A PEM file of the CA that signed the plugin's certificate; the chain is verified against it alone.</summary>
    public string? CertificateAuthorityPath { get; init; }

    /// <summary>A certificate (with private key) to present to the plugin.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>When false, the server's certificate is accepted without verification (asked for explicitly only).</summary>
    public bool VerifyServer { get; init; } = true;

    /// <summary>Fail rather than fall back to plaintext when the plugin offers no TLS.</summary>
    public bool RequireTls { get; init; }

    /// <summary>Whether any manual TLS setting is given.</summary>
    public bool IsManual => CertificateAuthorityPath is not null || ClientCertificate is not null || !VerifyServer;
}
