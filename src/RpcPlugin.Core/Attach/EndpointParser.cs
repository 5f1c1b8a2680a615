using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Handshake;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Attach;

/// <summary>Reads an address a user types: <c>unix:///path</c>, <c>unix:/path</c>, <c>/path</c>, <c>tcp://host:port</c> or <c>host:port</c>.</summary>
public static class EndpointParser
{
    /// <summary>Parses an address.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/> for an address it cannot read.</exception>
    public static PluginEndpoint Parse(string address)
    {
        string text = address.Trim();
        if (text.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            string path = text["unix:".Length..];
            path = path.StartsWith("//", StringComparison.Ordinal) ? path[2..] : path;
            return path.Length > 0 ? new PluginEndpoint("unix", path) : throw Bad(address);
        }

        if (text.StartsWith('/'))
        {
            return new PluginEndpoint("unix", text);
        }

        foreach (string scheme in new[] { "tcp://", "http://", "https://" })
        {
            if (text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                text = text[scheme.Length..].TrimEnd('/');
            }
        }

        return TcpAddress.TryParse(text, out _, out _) ? new PluginEndpoint("tcp", text) : throw Bad(address);
    }

    private static PluginException Bad(string address) =>
        new(PluginErrorCode.InvalidArgument, $"'{address}' is not an address: use unix:///path/to/socket, host:port or tcp://host:port.");
}
