using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// The lines <see cref="HandshakeFuzzTests"/> parses: valid go-plugin handshake lines (with what they must parse
/// to), their field-level and character-level mutations, and random lines of plausible and random fields.
/// </summary>
internal static class HandshakeLines
{
    private static readonly string[] Tokens =
    {
        "|", "||", "1", "0", "grpc", "netrpc", "unix", "tcp", "127.0.0.1:1234", "[::1]:10001", "/tmp/plugin1", "true",
        "\n", "\r\n", " ", "=", "==", "99999999999999999999", "-1", "65536", ":", "[", "]",
    };

    /// <summary>What cannot be seen but may come before a handshake: a BOM, zero-width characters, colours, NUL.</summary>
    private static readonly string[] Invisible = { "\uFEFF", "\u200B", "\u2060\uFEFF", "\u001b[0m", "\u001b[1;32m\u200B", "\0", "\r" };

    /// <summary>DER certificates of different kinds and lengths, made once.</summary>
    public static readonly byte[][] Certificates = MakeCertificates();

    /// <summary>One line for the protocol versions <paramref name="offered"/>, with what it must parse to when it is valid.</summary>
    public static (string Line, Expected? Expected) Next(Random random, int[] offered)
    {
        Expected? expected = null;
        string line;
        // Certificates cost: the platform parses a valid one in about half a millisecond (an undecodable one in a
        // tenth), so lines that carry one are a small share of the cases and the run stays within a few seconds.
        int kind = random.Next(1000);
        if (kind < 250)
        {
            (line, expected) = ValidLine(random, offered, withCertificate: false);
        }
        else if (kind < 257)
        {
            (line, expected) = ValidLine(random, offered, withCertificate: true);
        }
        else if (kind < 512)
        {
            line = FieldMutation(random, ValidLine(random, offered, withCertificate: false).Line);
        }
        else if (kind < 712)
        {
            line = Mutate.TextEdits(random, ValidLine(random, offered, withCertificate: false).Line, 4, Tokens);
        }
        else if (kind < 730)
        {
            line = Mutate.TextEdits(random, ValidLine(random, offered, withCertificate: true).Line, 3, Tokens);
        }
        else
        {
            line = RandomLine(random, offered);
        }

        return (line, expected);
    }

    /// <summary>A line go-plugin could print, with what it must parse to.</summary>
    private static (string Line, Expected Expected) ValidLine(Random random, int[] offered, bool withCertificate)
    {
        int app = offered[random.Next(offered.Length)];
        string network = random.Next(2) == 0 ? "unix" : "tcp";
        string address = network == "unix"
            ? random.Next(4) switch
            {
                0 => "/tmp/plugin" + random.Next(),
                1 => "/tmp/" + Mutate.Text(random, 40, loneSurrogates: random.Next(2) == 0).Replace('|', '_').Trim() + "x",
                2 => @"C:\Users\me\AppData\Local\Temp\plugin" + random.Next() + ".sock",
                _ => "/var/run/" + new string('d', random.Next(1, 3000)),
            }
            : random.Next(4) switch
            {
                0 => "127.0.0.1:" + random.Next(1, 65536).ToString(CultureInfo.InvariantCulture),
                1 => "[::1]:" + random.Next(1, 65536).ToString(CultureInfo.InvariantCulture),
                2 => "localhost:65535",
                _ => "plugin.example:1",
            };
        byte[]? certificate = null;
        var fields = new List<string>
        {
            random.Next(8) == 0 ? "0001" : "1",
            random.Next(8) == 0 ? "00" + app.ToString(CultureInfo.InvariantCulture) : app.ToString(CultureInfo.InvariantCulture),
            network,
            address,
            "grpc",
        };
        switch (withCertificate ? 3 : random.Next(3))
        {
            case 0:
                break;
            case 1:
                fields.Add(string.Empty);
                break;
            case 2:
                // Go-plugin ignores 50 characters or fewer there.
                fields.Add(Mutate.Text(random, 50, loneSurrogates: false).Replace('|', '.').Trim());
                break;
            default:
                certificate = Certificates[random.Next(Certificates.Length)];
                string base64 = Convert.ToBase64String(certificate);
                fields.Add(random.Next(2) == 0 ? base64.TrimEnd('=') : base64);
                break;
        }

        if (random.Next(3) == 0)
        {
            if (fields.Count == 5)
            {
                fields.Add(string.Empty);
            }

            fields.Add(random.Next(2) == 0 ? "true" : string.Empty);
        }

        string[] padding = { string.Empty, " ", "\t", "\n", "\r\n", "  \n" };
        string line = padding[random.Next(3)] + (random.Next(10) == 0 ? Invisible[random.Next(Invisible.Length)] : string.Empty) + string.Join("|", fields.Select(f => random.Next(20) == 0 ? " " + f + " " : f)) + padding[random.Next(padding.Length)];
        return (line, new Expected(app, network, address, certificate));
    }

    /// <summary>Field-level mutations of a valid line: swaps, drops, duplicates, replacements, extra separators.</summary>
    private static string FieldMutation(Random random, string line)
    {
        var fields = line.Split('|').ToList();
        for (int edits = random.Next(1, 4); edits > 0; edits--)
        {
            int at = random.Next(fields.Count);
            switch (random.Next(7))
            {
                case 0:
                    int other = random.Next(fields.Count);
                    (fields[at], fields[other]) = (fields[other], fields[at]);
                    break;
                case 1 when fields.Count > 1:
                    fields.RemoveAt(at);
                    break;
                case 2:
                    fields.Insert(at, fields[at]);
                    break;
                case 3:
                    fields[at] = RandomField(random, Array.Empty<int>());
                    break;
                case 4:
                    fields.Insert(random.Next(fields.Count + 1), string.Empty);
                    break;
                case 5 when fields.Count > 5:
                    fields[5] = CertificateField(random);
                    break;
                default:
                    fields[at] = Mutate.TextEdits(random, fields[at], 2, Tokens);
                    break;
            }
        }

        return string.Join("|", fields);
    }

    private static string RandomLine(Random random, int[] offered)
    {
        int count = random.Next(3) == 0 ? random.Next(0, 40) : random.Next(3, 9);
        var fields = new string[count];
        for (int i = 0; i < count; i++)
        {
            fields[i] = random.Next(3) == 0 ? PlausibleField(random, i, offered) : RandomField(random, offered);
        }

        return string.Join("|", fields);
    }

    /// <summary>A field that fits its position most of the time, so random lines get past the early checks.</summary>
    private static string PlausibleField(Random random, int position, int[] offered) => position switch
    {
        0 => random.Next(4) == 0 ? Mutate.Number(random) : "1",
        1 => random.Next(4) == 0 || offered.Length == 0 ? Mutate.Number(random) : offered[0].ToString(CultureInfo.InvariantCulture),
        2 => random.Next(4) == 0 ? Mutate.Text(random, 6) : (random.Next(2) == 0 ? "unix" : "tcp"),
        3 => random.Next(2) == 0 ? "/tmp/p" : Mutate.Text(random, 12) + ":" + Mutate.Number(random),
        4 => random.Next(4) == 0 ? Mutate.Text(random, 6) : "grpc",
        5 => CertificateField(random),
        _ => RandomField(random, offered),
    };

    private static string RandomField(Random random, int[] offered) => random.Next(9) switch
    {
        0 => Mutate.Number(random),
        1 => offered.Length > 0 ? offered[random.Next(offered.Length)].ToString(CultureInfo.InvariantCulture) : "1",
        2 => new[] { "unix", "tcp", "UNIX", "tcp6", "grpc", "GRPC", "netrpc", string.Empty, " ", "udp" }[random.Next(10)],
        3 => Mutate.Text(random, 16),
        4 => Mutate.Text(random, random.Next(10) == 0 ? 20_000 : 80),
        5 => CertificateField(random),
        6 => new string((char)random.Next(0x20), random.Next(1, 10)),
        7 => random.Next(4) == 0 ? new string('9', random.Next(10, 5_000)) : "-" + Mutate.Number(random),
        _ => Mutate.Text(random, 4) + ":" + Mutate.Number(random),
    };

    /// <summary>Certificate-like fields: valid, mutated, truncated, random base64, not base64, of random lengths.</summary>
    private static string CertificateField(Random random)
    {
        byte[] der = Certificates[random.Next(Certificates.Length)];
        switch (random.Next(16))
        {
            case 0:
                return Convert.ToBase64String(der).TrimEnd('=');
            case 1:
                // A mutated DER: most are undecodable, some still parse (the signature is not checked here).
                return Convert.ToBase64String(Mutate.BytesEdits(random, der, der)).TrimEnd('=');
            case 2:
                return Convert.ToBase64String(der.AsSpan(0, random.Next(der.Length)));
            case 3:
                // A mutation of the base64 text itself.
                return Mutate.TextEdits(random, Convert.ToBase64String(der), 3, new[] { "=", "==", "-", "_", "A", "/" });
            case 4:
            case 5:
            case 6:
            case 7:
                return Mutate.Base64ish(random, random.Next(0, 120));
            case 8:
            case 9:
                return Mutate.Base64ish(random, random.Next(0, random.Next(10) == 0 ? 50_000 : 3_000));
            case 10:
            case 11:
                return Convert.ToBase64String(Mutate.RandomBytes(random, random.Next(30, 600)));
            default:
                return Mutate.Text(random, 200);
        }
    }

    private static byte[][] MakeCertificates()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ec384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var requests = new[]
        {
            new CertificateRequest("CN=localhost", ec, HashAlgorithmName.SHA256),
            new CertificateRequest("CN=plugin, O=RpcPlugin, C=DE", ec384, HashAlgorithmName.SHA384),
            new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        };
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName("localhost");
        sans.AddIpAddress(System.Net.IPAddress.Loopback);
        requests[0].CertificateExtensions.Add(sans.Build());
        requests[0].CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return requests.Select(r =>
        {
            using X509Certificate2 certificate = r.CreateSelfSigned(now.AddMinutes(-1), now.AddYears(1));
            return certificate.RawData;
        }).ToArray();
    }

    /// <summary>What a valid line must parse to.</summary>
    internal sealed record Expected(int App, string Network, string Address, byte[]? Certificate);
}
