using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Handshake;
using Xunit.Abstractions;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// The handshake parser against random lines and mutations of valid ones (issue 7, Security):
/// <see cref="HandshakeParser.IsHandshakeCandidate"/> never throws; <see cref="HandshakeParser.Parse"/> returns a
/// handshake that obeys go-plugin's rules or throws <see cref="PluginException"/> with HandshakeInvalid,
/// ProtocolVersionMismatch or TlsFailure, nothing else; valid lines always parse to what they say.
/// </summary>
[Collection(FuzzRunner.Collection)]
public class HandshakeFuzzTests
{
    private const int Seed = 7_001;
    private const int Cases = 100_000;

    private static readonly int[][] OfferedSets = { new[] { 1 }, new[] { 5, 6 }, new[] { 1, 2, 3 }, new[] { 0 }, new[] { int.MaxValue }, new[] { 2, 1 } };

    private static readonly string[] Tokens =
    {
        "|", "||", "1", "0", "grpc", "netrpc", "unix", "tcp", "127.0.0.1:1234", "[::1]:10001", "/tmp/plugin1", "true",
        "\n", "\r\n", " ", "=", "==", "99999999999999999999", "-1", "65536", ":", "[", "]",
    };

    /// <summary>What cannot be seen but may come before a handshake: a BOM, zero-width characters, colours, NUL.</summary>
    private static readonly string[] Invisible = { "\uFEFF", "\u200B", "\u2060\uFEFF", "\u001b[0m", "\u001b[1;32m\u200B", "\0", "\r" };

    /// <summary>DER certificates of different kinds and lengths, made once.</summary>
    private static readonly byte[][] Certificates = MakeCertificates();

    private readonly ITestOutputHelper output;

    public HandshakeFuzzTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Fact]
    public void Handshake_parser_survives_random_and_mutated_lines_with_only_documented_errors()
    {
        // Made before the clock starts: an RSA key takes a while on a slow machine.
        Assert.Equal(3, Certificates.Length);

        FuzzSummary summary = FuzzRunner.Run(nameof(HandshakeFuzzTests), Seed, Cases, Check, output);

        if (summary.Partial)
        {
            return;
        }

        Assert.Equal(Cases, summary.Cases);
        // The mix must exercise every path: acceptances, and each of the three documented errors.
        Assert.True(summary.Count("ok") > Cases / 10, summary.ToString());
        Assert.True(summary.Count(nameof(PluginErrorCode.HandshakeInvalid)) > Cases / 10, summary.ToString());
        Assert.True(summary.Count(nameof(PluginErrorCode.ProtocolVersionMismatch)) > Cases / 50, summary.ToString());
        Assert.True(summary.Count(nameof(PluginErrorCode.TlsFailure)) > Cases / 100, summary.ToString());
    }

    private static void Check(FuzzCase fuzzCase)
    {
        Random random = fuzzCase.Random;
        int[] offered = OfferedSets[random.Next(OfferedSets.Length)];
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

        fuzzCase.Input(() => $"offered [{string.Join(", ", offered)}], line of {line.Length} chars: {Show.Text(line)}");
        bool candidate = HandshakeParser.IsHandshakeCandidate(line);
        PluginHandshake handshake;
        try
        {
            handshake = HandshakeParser.Parse(line, offered);
        }
        catch (PluginException e)
        {
            CheckRejection(e, line, offered, expected);
            fuzzCase.Outcome(e.Code.ToString());
            return;
        }

        CheckAccepted(handshake, line, offered, candidate, expected);
        fuzzCase.Outcome("ok");
    }

    private static void CheckRejection(PluginException e, string line, int[] offered, Expected? expected)
    {
        if (expected is not null)
        {
            throw FuzzCase.Fail($"a valid line was rejected: {e.Code}: {e.Message}");
        }

        string[] fields = HandshakeParser.Clean(line).Split('|').Select(f => f.Trim()).ToArray();
        switch (e.Code)
        {
            case PluginErrorCode.HandshakeInvalid:
                break;
            case PluginErrorCode.ProtocolVersionMismatch:
                // Only a well-formed version that is not ours: core other than 1, or an app version not offered.
                bool coreIsNumber = int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int core);
                bool appIsNumber = fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int app) && !offered.Contains(app);
                if (!coreIsNumber || (core == HandshakeParser.CoreProtocolVersion && !appIsNumber))
                {
                    throw FuzzCase.Fail($"ProtocolVersionMismatch for versions '{fields[0]}' and '{(fields.Length > 1 ? fields[1] : "(none)")}': {e.Message}");
                }

                break;
            case PluginErrorCode.TlsFailure:
                // Only for a certificate field go-plugin would read (more than 50 characters).
                if (fields.Length < 6 || fields[5].Length <= 50)
                {
                    throw FuzzCase.Fail($"TlsFailure without a certificate field of more than 50 characters: {e.Message}");
                }

                break;
            default:
                throw FuzzCase.Fail($"undocumented error code {e.Code}: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(e.Message))
        {
            throw FuzzCase.Fail($"{e.Code} without a message");
        }

        // The line is quoted printably and briefly, whatever it held.
        if (e.Message.Any(c => (char.IsControl(c) && c != '\t') || char.GetUnicodeCategory(c) == UnicodeCategory.Format))
        {
            throw FuzzCase.Fail($"{e.Code} quotes an invisible character: {Show.Text(e.Message)}");
        }

        if (e.Message.Length > 1_500)
        {
            throw FuzzCase.Fail($"{e.Code} message of {e.Message.Length} characters");
        }

        // A line that looks like an attempt is never silently taken for noise: Parse rejected it, so the reader
        // must have handed it over (or it was no attempt at all, and Parse was called only by this test).
        if (HandshakeParser.IsHandshakeCandidate(line) != LooksLikeAttempt(line))
        {
            throw FuzzCase.Fail("IsHandshakeCandidate disagrees with the definition of an attempt");
        }
    }

    private static void CheckAccepted(PluginHandshake handshake, string line, int[] offered, bool candidate, Expected? expected)
    {
        var problems = new List<string>();
        string[] fields = HandshakeParser.Clean(line).Split('|').Select(f => f.Trim()).ToArray();
        if (!candidate)
        {
            problems.Add("IsHandshakeCandidate is false for a line Parse accepts");
        }

        if (fields.Length is < 5 or > 7)
        {
            problems.Add($"{fields.Length} fields");
        }

        if (handshake.CoreVersion != HandshakeParser.CoreProtocolVersion)
        {
            problems.Add($"core version {handshake.CoreVersion}");
        }

        if (!offered.Contains(handshake.AppVersion))
        {
            problems.Add($"app version {handshake.AppVersion} was not offered");
        }

        if (handshake.Network is not ("unix" or "tcp"))
        {
            problems.Add($"network '{handshake.Network}'");
        }

        if (handshake.Address.Length == 0 || handshake.Address != handshake.Address.Trim())
        {
            problems.Add($"address '{handshake.Address}' is empty or untrimmed");
        }

        if (handshake.Network == "tcp" && !TcpAddress.TryParse(handshake.Address, out _, out _))
        {
            problems.Add($"tcp address '{handshake.Address}' is not host:port");
        }

        if (handshake.Protocol != "grpc")
        {
            problems.Add($"protocol '{handshake.Protocol}'");
        }

        if (handshake.Line != HandshakeParser.Clean(line))
        {
            problems.Add("Line is not the cleaned line");
        }

        bool certificateField = fields.Length >= 6 && fields[5].Length > 50;
        if (certificateField != handshake.ServerCertificate is not null || handshake.ServerCertificate is { Length: 0 })
        {
            problems.Add($"certificate {(handshake.ServerCertificate is null ? "missing" : $"of {handshake.ServerCertificate.Length} bytes")} for a field of {(fields.Length >= 6 ? fields[5].Length : 0)} characters");
        }

        if (expected is not null)
        {
            if (handshake.AppVersion != expected.App || handshake.Network != expected.Network || handshake.Address != expected.Address)
            {
                problems.Add($"parsed {handshake.AppVersion}|{handshake.Network}|{handshake.Address}, expected {expected.App}|{expected.Network}|{expected.Address}");
            }

            if (!(handshake.ServerCertificate ?? Array.Empty<byte>()).AsSpan().SequenceEqual(expected.Certificate ?? Array.Empty<byte>()))
            {
                problems.Add("the certificate is not the one sent");
            }
        }

        if (problems.Count > 0)
        {
            throw FuzzCase.Fail("Parse accepted the line, but: " + string.Join("; ", problems));
        }
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

    /// <summary>
    /// The definition, written independently of the parser: once invisible characters are gone from its ends, an
    /// attempt has at least four '|'-separated fields and an optionally signed run of ASCII digits first (ANSI
    /// escape sequences do not count).
    /// </summary>
    private static bool LooksLikeAttempt(string line)
    {
        const string Invisible = @"(?:\x1B\[[ -?]*[@-~]|[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}])*";
        string visible = System.Text.RegularExpressions.Regex.Replace(line, "^" + Invisible, string.Empty);
        visible = System.Text.RegularExpressions.Regex.Replace(visible, Invisible + @"\z", string.Empty, System.Text.RegularExpressions.RegexOptions.RightToLeft);
        string[] fields = visible.Split('|');
        return fields.Length >= 4 && System.Text.RegularExpressions.Regex.IsMatch(fields[0].Trim(), "^[+-]?[0-9]+$");
    }

    private sealed record Expected(int App, string Network, string Address, byte[]? Certificate);
}
