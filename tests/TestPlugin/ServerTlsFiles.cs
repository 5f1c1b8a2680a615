using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// Manual TLS from files the tester provides (pyvider-rpcplugin's <c>PLUGIN_SERVER_CERT</c>/<c>PLUGIN_SERVER_KEY</c>
/// under TestPlugin's own names), see README.md.
/// </summary>
internal sealed class ServerTlsFiles
{
    public const string CertVariable = "TESTPLUGIN_SERVER_CERT";
    public const string KeyVariable = "TESTPLUGIN_SERVER_KEY";
    public const string ClientCaVariable = "TESTPLUGIN_CLIENT_CA";

    private static readonly string[] KeyLabels = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"];

    private ServerTlsFiles(X509Certificate2 certificate, X509Certificate2Collection? chain, X509Certificate2Collection? clientAuthority)
    {
        Certificate = certificate;
        Chain = chain;
        ClientAuthority = clientAuthority;
    }

    /// <summary>The server certificate with its private key: the first certificate of the cert file.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Any further certificates of the cert file (intermediates), else null.</summary>
    public X509Certificate2Collection? Chain { get; }

    /// <summary>The CAs a client certificate must chain to; null when no client certificate is asked for.</summary>
    public X509Certificate2Collection? ClientAuthority { get; }

    /// <summary>Null when neither the certificate nor the key variable is set: AutoMTLS or plaintext, as usual.</summary>
    /// <exception cref="InvalidDataException">A variable is missing or a file is unreadable or unusable.</exception>
    public static ServerTlsFiles? Load()
    {
        var certPath = Variable(CertVariable);
        var keyPath = Variable(KeyVariable);
        var caPath = Variable(ClientCaVariable);
        if (certPath is null && keyPath is null)
        {
            return caPath is null
                ? null
                : throw new InvalidDataException($"{ClientCaVariable} is set but {CertVariable} and {KeyVariable} are not: the client CA only applies to TLS with a certificate of the tester's");
        }

        if (certPath is null || keyPath is null)
        {
            var (set, unset) = certPath is null ? (KeyVariable, CertVariable) : (CertVariable, KeyVariable);
            throw new InvalidDataException($"{set} is set but {unset} is not: set both (a PEM certificate and its private key) or neither");
        }

        var certificates = ReadPem(CertVariable, certPath, out var certFile)
            .FindAll(block => block.Label == "CERTIFICATE");
        if (certificates.Count == 0)
        {
            throw new InvalidDataException($"{CertVariable}: '{certFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        var keyBlocks = ReadPem(KeyVariable, keyPath, out var keyFile);
        var key = keyBlocks.Find(block => Array.IndexOf(KeyLabels, block.Label) >= 0);
        if (key is null)
        {
            throw new InvalidDataException(keyBlocks.Exists(block => block.Label == "ENCRYPTED PRIVATE KEY")
                ? $"{KeyVariable}: '{keyFile}' holds an encrypted private key (ENCRYPTED PRIVATE KEY): give an unencrypted PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY"
                : $"{KeyVariable}: '{keyFile}' holds no PEM private key (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificates[0].Text, key.Text);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // ArgumentException: a key of the right kind but another certificate's.
            throw new InvalidDataException($"{KeyVariable}: the {key.Label} in '{keyFile}' cannot be used with the first certificate in '{certFile}': {e.Message}");
        }

        var chain = certificates.Count > 1 ? Certificates(CertVariable, certFile, certificates.GetRange(1, certificates.Count - 1)) : null;
        X509Certificate2Collection? authority = null;
        if (caPath is not null)
        {
            var authorities = ReadPem(ClientCaVariable, caPath, out var caFile).FindAll(block => block.Label == "CERTIFICATE");
            if (authorities.Count == 0)
            {
                throw new InvalidDataException($"{ClientCaVariable}: '{caFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }

            authority = Certificates(ClientCaVariable, caFile, authorities);
        }

        return new ServerTlsFiles(certificate, chain, authority);
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static List<PemBlock> ReadPem(string variable, string pathOrUri, out string path)
    {
        string text;
        try
        {
            path = pathOrUri.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? new Uri(pathOrUri).LocalPath : pathOrUri;
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UriFormatException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"{variable}: cannot read '{pathOrUri}': {e.Message}");
        }

        var blocks = new List<PemBlock>();
        var rest = text.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            blocks.Add(new PemBlock(
                rest.Span[fields.Label].ToString(),
                rest.Span[fields.Location].ToString(),
                rest.Span[fields.Base64Data].ToString()));
            rest = rest[fields.Location.End..];
        }

        return blocks;
    }

    private static X509Certificate2Collection Certificates(string variable, string path, List<PemBlock> blocks)
    {
        var collection = new X509Certificate2Collection();
        foreach (var block in blocks)
        {
            try
            {
                collection.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(block.Base64)));
            }
            catch (Exception e) when (e is CryptographicException or FormatException)
            {
                throw new InvalidDataException($"{variable}: a certificate in '{path}' cannot be read: {e.Message}");
            }
        }

        return collection;
    }

    private sealed record PemBlock(string Label, string Text, string Base64);
}
