using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;

namespace RpcPlugin.GoPluginServer;

/// <summary>
/// Binds the socket Kestrel listens on the way go-plugin's <c>serverListener</c> does: a unix socket named
/// <c>plugin&lt;digits&gt;</c>, or 127.0.0.1 on the first free port of the host's range. Kestrel calls
/// <see cref="Bind"/> through <c>SocketTransportOptions.CreateBoundListenSocket</c>, so binding happens inside
/// the server's start and the port search needs no retry of the whole start.
/// </summary>
internal sealed class PluginListener : IDisposable
{
    private const int DefaultMinPort = 10000;
    private const int DefaultMaxPort = 25000;
    private const int UnixNameAttempts = 100;

    private readonly string _socketDirectory;
    private string? _socketPath;

    public PluginListener(PluginNetwork network)
    {
        Network = network;
        _socketDirectory = Environment.GetEnvironmentVariable("PLUGIN_UNIX_SOCKET_DIR") is { Length: > 0 } dir
            ? dir
            : Path.GetTempPath();
        RequestedEndPoint = network == PluginNetwork.Unix
            ? new UnixDomainSocketEndPoint(NewSocketPath())
            : new IPEndPoint(IPAddress.Loopback, 0);
    }

    public PluginNetwork Network { get; }

    /// <summary>The network name of the handshake line.</summary>
    public string NetworkName => Network == PluginNetwork.Unix ? "unix" : "tcp";

    /// <summary>What Kestrel is told to listen on; <see cref="Bind"/> decides the real address.</summary>
    public EndPoint RequestedEndPoint { get; }

    /// <summary>The bound address as the handshake line gives it: the socket path, or 127.0.0.1:port.</summary>
    public string? Address { get; private set; }

    public Socket Bind(EndPoint requested)
    {
        var socket = Network == PluginNetwork.Unix ? BindUnix((UnixDomainSocketEndPoint)requested) : BindTcp();
        Address = socket.LocalEndPoint switch
        {
            IPEndPoint ip => string.Create(CultureInfo.InvariantCulture, $"{ip.Address}:{ip.Port}"),
            _ => _socketPath,
        };
        return socket;
    }

    /// <summary>Removes the socket file, as go-plugin's <c>rmListener</c> does on close.</summary>
    public void Dispose()
    {
        if (_socketPath is not null)
        {
            try
            {
                File.Delete(_socketPath);
            }
            catch (IOException)
            {
                // Already gone or not ours to remove: nothing left to clean.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private Socket BindUnix(UnixDomainSocketEndPoint first)
    {
        EndPoint candidate = first;
        for (var attempt = 0; ; attempt++)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Bind(candidate);
                _socketPath = candidate.ToString();
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < UnixNameAttempts)
            {
                socket.Dispose();
                candidate = new UnixDomainSocketEndPoint(NewSocketPath());
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    private static Socket BindTcp()
    {
        var (min, max) = (PortFromEnvironment("PLUGIN_MIN_PORT", DefaultMinPort), PortFromEnvironment("PLUGIN_MAX_PORT", DefaultMaxPort));
        if (min > max)
        {
            throw new InvalidOperationException($"PLUGIN_MIN_PORT value of {min} is greater than PLUGIN_MAX_PORT value of {max}");
        }

        for (var port = min; port <= max; port++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return socket;
            }
            catch (SocketException)
            {
                // Like go-plugin, any failure (in use, not permitted) just moves on to the next port.
                socket.Dispose();
            }
        }

        throw new InvalidOperationException($"Couldn't bind plugin TCP listener on 127.0.0.1 ports {min}-{max}");
    }

    private static int PortFromEnvironment(string name, int fallback)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort
            ? port
            : throw new InvalidOperationException($"Couldn't get value from {name}: '{text}' is not a port number");
    }

    // The same shape as Go's os.CreateTemp(dir, "plugin"): the prefix, then random decimal digits. Like Go's, the
    // name needs to be unlikely, not unguessable; a non-crypto random also keeps OpenSSL out of a plaintext start.
    private string NewSocketPath() =>
        Path.Combine(_socketDirectory, "plugin" + Random.Shared.Next().ToString(CultureInfo.InvariantCulture));
}
