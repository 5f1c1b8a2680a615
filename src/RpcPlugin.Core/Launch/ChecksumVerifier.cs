using System.Security.Cryptography;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Launch;

/// <summary>Checks an executable against an expected hash before it is run (go-plugin's SecureConfig).</summary>
public static class ChecksumVerifier
{
    /// <summary>Throws unless the file's hash equals <paramref name="expectedHex"/> (case-insensitive hex, optional <c>algorithm:</c> prefix).</summary>
    /// <exception cref="PluginException">
    /// <see cref="PluginErrorCode.ChecksumMismatch"/> on a mismatch, <see cref="PluginErrorCode.InvalidArgument"/> for a
    /// malformed checksum or unknown algorithm.
    /// </exception>
    public static void Verify(string path, string expectedHex, string algorithm)
    {
        int colon = expectedHex.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            algorithm = expectedHex[..colon];
            expectedHex = expectedHex[(colon + 1)..];
        }

        using HashAlgorithm hasher = Create(algorithm);
        byte[] expected;
        try
        {
            expected = Convert.FromHexString(expectedHex.Trim());
        }
        catch (FormatException)
        {
            throw new PluginException(PluginErrorCode.InvalidArgument, $"The checksum '{expectedHex}' is not a hexadecimal string.");
        }

        if (expected.Length != hasher.HashSize / 8)
        {
            throw new PluginException(
                PluginErrorCode.InvalidArgument,
                $"The checksum has {expected.Length * 2} hex digits, but a {algorithm.ToUpperInvariant()} hash has {hasher.HashSize / 4}.");
        }

        byte[] actual;
        using (FileStream file = File.OpenRead(path))
        {
            actual = hasher.ComputeHash(file);
        }

        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            throw new PluginException(
                PluginErrorCode.ChecksumMismatch,
                $"The {algorithm.ToUpperInvariant()} checksum of '{path}' is {Convert.ToHexString(actual).ToLowerInvariant()}, not the expected {Convert.ToHexString(expected).ToLowerInvariant()}. The plugin was not started.")
            {
                RecommendedAction = "Make sure the file is the plugin build you meant to run, then update the expected checksum.",
            };
        }
    }

    private static HashAlgorithm Create(string algorithm) => algorithm.Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant() switch
    {
        "SHA256" => SHA256.Create(),
        "SHA384" => SHA384.Create(),
        "SHA512" => SHA512.Create(),
        "SHA1" => SHA1.Create(),
        "MD5" => MD5.Create(),
        _ => throw new PluginException(PluginErrorCode.InvalidArgument, $"Unknown checksum algorithm '{algorithm}'. Use SHA256, SHA384, SHA512, SHA1 or MD5."),
    };
}
