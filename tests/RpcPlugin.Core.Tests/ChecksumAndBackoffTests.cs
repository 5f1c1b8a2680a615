using System;
using System.IO;
using System.Security.Cryptography;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Launch;

namespace RpcPlugin.Core.Tests;

public sealed class ChecksumAndBackoffTests : IDisposable
{
    private readonly string file = Path.GetTempFileName();

    public ChecksumAndBackoffTests() => File.WriteAllText(file, "plugin bytes");

    public void Dispose() => File.Delete(file);

    [Fact]
    public void A_matching_checksum_passes_in_any_case_and_with_an_algorithm_prefix()
    {
        string hex = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

        ChecksumVerifier.Verify(file, hex.ToLowerInvariant(), "SHA256");
        ChecksumVerifier.Verify(file, "sha256:" + hex, "SHA512");
    }

    [Fact]
    public void A_different_checksum_is_a_mismatch_that_shows_both_hashes()
    {
        string wrong = new('0', 64);

        var error = Assert.Throws<PluginException>(() => ChecksumVerifier.Verify(file, wrong, "SHA256"));

        Assert.Equal(PluginErrorCode.ChecksumMismatch, error.Code);
        Assert.Contains(wrong, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xyz", "SHA256", "not a hexadecimal")]
    [InlineData("abcd", "SHA256", "64")]
    [InlineData("abcd", "CRC32", "Unknown checksum algorithm")]
    public void A_malformed_checksum_is_an_argument_error(string checksum, string algorithm, string expected)
    {
        var error = Assert.Throws<PluginException>(() => ChecksumVerifier.Verify(file, checksum, algorithm));

        Assert.Equal(PluginErrorCode.InvalidArgument, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_grows_by_the_multiplier_and_stops_at_the_cap()
    {
        for (int i = 0; i < 100; i++)
        {
            double first = PluginLauncher.Backoff(1, 2.0, TimeSpan.FromSeconds(60)).TotalMilliseconds;
            double third = PluginLauncher.Backoff(3, 2.0, TimeSpan.FromSeconds(60)).TotalMilliseconds;
            double capped = PluginLauncher.Backoff(30, 2.0, TimeSpan.FromSeconds(1)).TotalMilliseconds;
            Assert.InRange(first, 80, 120);
            Assert.InRange(third, 320, 480);
            Assert.InRange(capped, 800, 1200);
        }
    }
}
