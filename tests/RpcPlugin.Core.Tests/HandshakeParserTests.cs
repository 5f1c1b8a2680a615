using System;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Handshake;

namespace RpcPlugin.Core.Tests;

public class HandshakeParserTests
{
    private static readonly int[] Offered = { 1 };

    [Fact]
    public void Handshake_parses_a_unix_address()
    {
        PluginHandshake handshake = HandshakeParser.Parse("1|1|unix|/tmp/plugin559151536|grpc|\n", Offered);

        Assert.Equal(1, handshake.CoreVersion);
        Assert.Equal(1, handshake.AppVersion);
        Assert.Equal("unix", handshake.Network);
        Assert.Equal("/tmp/plugin559151536", handshake.Address);
        Assert.Equal("grpc", handshake.Protocol);
        Assert.Null(handshake.ServerCertificate);
    }

    [Fact]
    public void Handshake_parses_five_fields_over_tcp_as_the_non_go_guide_prints_them()
    {
        PluginHandshake handshake = HandshakeParser.Parse("1|1|tcp|127.0.0.1:1234|grpc", Offered);

        Assert.Equal("tcp", handshake.Network);
        Assert.Equal("127.0.0.1:1234", handshake.Address);
    }

    [Fact]
    public void Handshake_accepts_and_ignores_the_mux_field()
    {
        PluginHandshake handshake = HandshakeParser.Parse("1|6|tcp|[::1]:10001|grpc||true", new[] { 5, 6 });

        Assert.Equal(6, handshake.AppVersion);
        Assert.Equal("[::1]:10001", handshake.Address);
    }

    [Fact]
    public void Handshake_decodes_a_certificate_whose_padding_was_stripped()
    {
        using var certificate = TestCertificates.SelfSigned();
        string field = Convert.ToBase64String(certificate.RawData).TrimEnd('=');

        PluginHandshake handshake = HandshakeParser.Parse($"1|1|unix|/tmp/p|grpc|{field}", Offered);

        Assert.Equal(certificate.RawData, handshake.ServerCertificate);
    }

    [Fact]
    public void Handshake_ignores_a_short_certificate_field_as_go_plugin_does()
    {
        PluginHandshake handshake = HandshakeParser.Parse("1|1|unix|/tmp/p|grpc|extra", Offered);

        Assert.Null(handshake.ServerCertificate);
    }

    [Fact]
    public void Handshake_with_an_undecodable_certificate_is_a_tls_failure()
    {
        var error = Assert.Throws<PluginException>(() => HandshakeParser.Parse("1|1|unix|/tmp/p|grpc|" + new string('!', 80), Offered));

        Assert.Equal(PluginErrorCode.TlsFailure, error.Code);
    }

    [Theory]
    [InlineData("2|1|unix|/tmp/p|grpc|", "core protocol version 2")]
    [InlineData("1|3|unix|/tmp/p|grpc|", "application protocol version 3")]
    public void Handshake_with_a_version_we_did_not_offer_is_a_version_mismatch(string line, string expected)
    {
        var error = Assert.Throws<PluginException>(() => HandshakeParser.Parse(line, Offered));

        Assert.Equal(PluginErrorCode.ProtocolVersionMismatch, error.Code);
        Assert.Equal("RpcPlugin.ProtocolVersionMismatch", error.ErrorId);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(line.Trim(), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1|1|carrier-pigeon|nowhere|grpc|", "carrier-pigeon")]
    [InlineData("1|1|unix|/tmp/p|netrpc|", "net/rpc")]
    [InlineData("1|1|unix|/tmp/p", "net/rpc")]
    [InlineData("1|1|unix||grpc|", "address field is empty")]
    [InlineData("1|1|tcp|localhost|grpc|", "not host:port")]
    [InlineData("1|x|unix|/tmp/p|grpc|", "'x' is not a version number")]
    [InlineData("1|1|unix|/tmp/p|grpc|||||", "fields")]
    public void Handshake_that_cannot_be_understood_is_invalid_and_quoted(string line, string reason)
    {
        var error = Assert.Throws<PluginException>(() => HandshakeParser.Parse(line, Offered));

        Assert.Equal(PluginErrorCode.HandshakeInvalid, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{line}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1|1|unix|/tmp/p|grpc|", true)]
    [InlineData("1|1|unix|/tmp/p", true)]
    [InlineData("loading config...", false)]
    [InlineData("", false)]
    [InlineData("2024-01-01 | INFO | starting | up", false)]
    [InlineData("a|b|c|d|e", false)]
    public void Handshake_candidates_are_told_apart_from_stdout_noise(string line, bool expected)
    {
        Assert.Equal(expected, HandshakeParser.IsHandshakeCandidate(line));
    }
}
