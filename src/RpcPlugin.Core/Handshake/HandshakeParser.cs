using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Logs;

namespace RpcPlugin.Core.Handshake;

/// <summary>
/// Recognises and validates go-plugin handshake lines: <c>CORE|APP|NETWORK|ADDRESS|PROTOCOL|CERT[|MUX]</c>.
/// </summary>
public static class HandshakeParser
{
    /// <summary>The only core protocol version go-plugin has ever defined.</summary>
    public const int CoreProtocolVersion = 1;

    // go-plugin ignores a CERT field of 50 characters or fewer: older servers put unrelated data there
    // (client.go, "Checking if the length is > 50").
    private const int MinimumCertificateFieldLength = 51;

    /// <summary>
    /// Whether a stdout line is meant as a handshake: at least four <c>|</c>-separated fields, the first an
    /// integer (however large, signed or not), once invisible characters around it are gone. Anything else is
    /// noise that plugins (or their libraries) print before the handshake. A candidate that then fails
    /// <see cref="Parse"/> is an error at once, never a reason to wait for another line.
    /// </summary>
    public static bool IsHandshakeCandidate(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] fields = Clean(line).Split('|');
        if (fields.Length < 4)
        {
            return false;
        }

        ReadOnlySpan<char> first = fields[0].AsSpan().Trim();
        if (first.Length > 0 && first[0] is '+' or '-')
        {
            first = first[1..];
        }

        return first.Length > 0 && !first.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>
    /// The line without what cannot be seen around it: whitespace, control and format characters (a byte order
    /// mark, a zero-width space, a stray NUL or carriage return) and ANSI escape sequences (a colour a logging
    /// library switched on before the plugin printed). None of these belongs to a handshake.
    /// </summary>
    public static string Clean(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int start = 0;
        int end = line.Length;
        while (start < end)
        {
            if (EscapeSequenceLength(line, start, end) is int length and > 0)
            {
                start += length;
            }
            else if (IsInvisible(line[start]))
            {
                start++;
            }
            else
            {
                break;
            }
        }

        while (end > start)
        {
            if (EscapeSequenceStart(line, start, end) is int sequence and >= 0)
            {
                end = sequence;
            }
            else if (IsInvisible(line[end - 1]))
            {
                end--;
            }
            else
            {
                break;
            }
        }

        return start == 0 && end == line.Length ? line : line[start..end];
    }

    /// <summary>Parses and validates a handshake line.</summary>
    /// <param name="line">The line the plugin printed.</param>
    /// <param name="offeredVersions">The application protocol versions we offered in <c>PLUGIN_PROTOCOL_VERSIONS</c>.</param>
    /// <exception cref="PluginException">
    /// <see cref="PluginErrorCode.HandshakeInvalid"/>, <see cref="PluginErrorCode.ProtocolVersionMismatch"/> or
    /// <see cref="PluginErrorCode.TlsFailure"/> (an undecodable certificate), with the line quoted.
    /// </exception>
    public static PluginHandshake Parse(string line, IReadOnlyCollection<int> offeredVersions)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(offeredVersions);
        string trimmed = Clean(line);
        string[] fields = trimmed.Split('|').Select(f => f.Trim()).ToArray();
        if (fields.Length < 4 || fields.Length > 7)
        {
            throw Invalid(trimmed, $"it has {fields.Length} '|'-separated fields; go-plugin handshakes have 5 to 7");
        }

        if (!TryParseVersion(fields[0], out int core))
        {
            throw Invalid(trimmed, $"the core protocol version '{Quote(fields[0], 40)}' is not a version number");
        }

        if (core != CoreProtocolVersion)
        {
            throw new PluginException(
                PluginErrorCode.ProtocolVersionMismatch,
                $"The plugin speaks go-plugin core protocol version {core}; this client speaks version {CoreProtocolVersion}. Handshake line: '{Quote(trimmed)}'.")
            {
                RecommendedAction = "The plugin was probably built with an incompatible go-plugin version; rebuild it or use a matching client.",
            };
        }

        if (!TryParseVersion(fields[1], out int app))
        {
            throw Invalid(trimmed, $"the application protocol version '{Quote(fields[1], 40)}' is not a version number");
        }

        if (!offeredVersions.Contains(app))
        {
            throw new PluginException(
                PluginErrorCode.ProtocolVersionMismatch,
                $"The plugin answered with application protocol version {app}, but the client accepts only {string.Join(", ", offeredVersions)}. Handshake line: '{Quote(trimmed)}'.")
            {
                RecommendedAction = $"Pass {HostTerms.Current.ProtocolVersion} {app} if this client can speak that version, or use a plugin build that supports {string.Join(" or ", offeredVersions)}.",
            };
        }

        string network = fields[2];
        if (network != "unix" && network != "tcp")
        {
            throw Invalid(trimmed, $"the network '{Quote(network, 40)}' is neither 'unix' nor 'tcp'");
        }

        string address = fields[3];
        ValidateAddress(trimmed, network, address);

        // A missing protocol field means net/rpc, go-plugin's default before gRPC existed.
        string protocol = fields.Length >= 5 ? fields[4] : "netrpc";
        if (protocol != "grpc")
        {
            string why = protocol == "netrpc" || protocol.Length == 0
                ? "the plugin speaks go-plugin's net/rpc protocol; only gRPC plugins are supported"
                : $"the protocol '{Quote(protocol, 40)}' is not 'grpc'";
            throw Invalid(trimmed, why);
        }

        byte[]? certificate = fields.Length >= 6 && fields[5].Length >= MinimumCertificateFieldLength
            ? DecodeCertificate(trimmed, fields[5])
            : null;

        return new PluginHandshake(core, app, network, address, protocol, certificate, trimmed);
    }

    private static bool TryParseVersion(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static void ValidateAddress(string line, string network, string address)
    {
        if (address.Length == 0)
        {
            throw Invalid(line, "the address field is empty");
        }

        if (network == "tcp" && !TcpAddress.TryParse(address, out _, out _))
        {
            throw Invalid(line, $"the tcp address '{Quote(address, 100)}' is not host:port");
        }
    }

    private static byte[] DecodeCertificate(string line, string field)
    {
        // go-plugin writes base64 (standard alphabet) with the '=' padding stripped.
        string padded = field.TrimEnd('=');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        try
        {
            byte[] der = Convert.FromBase64String(padded);
            using X509Certificate2 parsed = new(der);
            return der;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new PluginException(
                PluginErrorCode.TlsFailure,
                $"The plugin's handshake carries a server certificate that cannot be decoded ({e.Message}). Handshake line: '{Quote(line)}'.",
                e);
        }
    }

    private static PluginException Invalid(string line, string why) =>
        new(PluginErrorCode.HandshakeInvalid, $"The plugin's handshake line is not valid: {why}. Line: '{Quote(line)}'.")
        {
            RecommendedAction = "Check that the executable is a go-plugin gRPC plugin and that nothing else prints to its standard output.",
        };

    private static string Quote(string text, int maxLength = 300) => PrintableText.Escape(text, maxLength);

    private static bool IsInvisible(char c) => char.IsWhiteSpace(c) || PrintableText.IsInvisible(c);

    /// <summary>The length of the ANSI CSI sequence (ESC [ parameters final-byte) at <paramref name="at"/>, or 0.</summary>
    private static int EscapeSequenceLength(string line, int at, int end)
    {
        if (at + 1 >= end || line[at] != '\x1B' || line[at + 1] != '[')
        {
            return 0;
        }

        int i = at + 2;
        while (i < end && line[i] is >= ' ' and <= '?')
        {
            i++;
        }

        return i < end && line[i] is >= '@' and <= '~' ? i + 1 - at : 0;
    }

    /// <summary>Where an ANSI CSI sequence that ends exactly at <paramref name="end"/> starts, or -1.</summary>
    private static int EscapeSequenceStart(string line, int start, int end)
    {
        if (line[end - 1] is < '@' or > '~')
        {
            return -1;
        }

        int i = end - 2;
        while (i > start && line[i] is >= ' ' and <= '?')
        {
            i--;
        }

        // i now stands on what should be the '[' after ESC.
        return i > start && line[i] == '[' && line[i - 1] == '\x1B' ? i - 1 : -1;
    }
}
