using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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

    private readonly ITestOutputHelper output;

    public HandshakeFuzzTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Fact]
    public void Handshake_parser_survives_random_and_mutated_lines_with_only_documented_errors()
    {
        // Made before the clock starts: an RSA key takes a while on a slow machine.
        Assert.Equal(3, HandshakeLines.Certificates.Length);

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
        (string line, HandshakeLines.Expected? expected) = HandshakeLines.Next(random, offered);
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

    private static void CheckRejection(PluginException e, string line, int[] offered, HandshakeLines.Expected? expected)
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

    private static void CheckAccepted(PluginHandshake handshake, string line, int[] offered, bool candidate, HandshakeLines.Expected? expected)
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
}
