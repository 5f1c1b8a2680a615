using System.Net.Sockets;

namespace RpcPlugin.Core.Transport;

/// <summary>
/// Dialling a plugin's address failed, told in the plugin's terms: the socket that does not exist, the address
/// where nothing listens. It replaces the bare socket error (which on a unix socket reads "Cannot assign requested
/// address") inside whatever gRPC reports, whether at connect time or when a later call redials a dead plugin.
/// </summary>
internal sealed class PluginUnreachableException : IOException
{
    private PluginUnreachableException(string message, SocketException inner)
        : base(message, inner)
    {
        SocketError = inner.SocketErrorCode;
    }

    /// <summary>The socket error behind it.</summary>
    public SocketError SocketError { get; }

    /// <summary>What the failure to dial <paramref name="endpoint"/> means.</summary>
    public static PluginUnreachableException From(PluginEndpoint endpoint, SocketException e)
    {
        string why;
        if (endpoint.Network == "unix")
        {
            string path = endpoint.Address;
            why = File.Exists(path) || Directory.Exists(path)
                ? e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable && UnixFileTypeIsSocket(path)
                    ? $"nothing listens on the socket {path} (a socket file left behind by a plugin that has exited?)"
                    : UnixFileTypeIsSocket(path) ? $"cannot connect to the socket {path}: {e.Message}" : $"{path} is not a socket"
                : $"the socket {path} does not exist (the plugin has exited, or the address is wrong)";
        }
        else
        {
            why = e.SocketErrorCode == SocketError.ConnectionRefused
                ? $"nothing listens at {endpoint.Address} (connection refused)"
                : $"cannot connect to {endpoint.Address}: {e.Message}";
        }

        return new PluginUnreachableException(why, e);
    }

    private static bool UnixFileTypeIsSocket(string path) => Processes.UnixFileType.IsSocket(path);
}
