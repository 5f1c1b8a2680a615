using System.Globalization;

namespace RpcPlugin.Core.Handshake;

/// <summary>Splits <c>host:port</c> and <c>[v6]:port</c> addresses.</summary>
internal static class TcpAddress
{
    public static bool TryParse(string address, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || colon == address.Length - 1)
        {
            return false;
        }

        host = address[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return host.Length > 0
            && int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535;
    }
}
