using System.Globalization;
using System.Net.Sockets;
using System.Text;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Processes.Unix;

/// <summary>
/// Our end of the control socket of an rpcplugin-launcher (src/RpcPlugin.Launcher/rpcplugin-launcher.c): the
/// launcher reports the plugin's pid on it, takes "t" (SIGTERM the plugin), "k" (kill everything) and "s PATH"
/// (the plugin's socket, removed at the end), and kills everything when this end closes, which the kernel does
/// for us if this process dies.
/// </summary>
internal sealed class LauncherLink : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket socket;

    private LauncherLink(Socket socket, int launcherPid, int pluginPid)
    {
        this.socket = socket;
        LauncherPid = launcherPid;
        PluginPid = pluginPid;
    }

    /// <summary>The launcher's pid: our child, the process we wait for.</summary>
    public int LauncherPid { get; }

    /// <summary>The plugin's pid: the launcher's child.</summary>
    public int PluginPid { get; }

    /// <summary>
    /// Starts the plugin through the launcher, with its standard output and error on the given pipes. Null when
    /// the launcher itself cannot run (the caller then starts the plugin directly).
    /// </summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.PluginNotFound"/> when the plugin cannot be executed.</exception>
    public static LauncherLink? Start(string launcher, ProcessStartSpec spec, int stdoutFd, int stderrFd, Func<string, int, PluginException> spawnFailure)
    {
        (int mine, int theirs) = UnixNative.CreateSocketPair();
        var socket = new Socket(new SafeSocketHandle((IntPtr)mine, ownsHandle: true));
        int pid;
        try
        {
            string[] arguments = new[] { UnixSpawner.ControlFd.ToString(CultureInfo.InvariantCulture), spec.SocketDirectory ?? string.Empty, spec.FilePath };
            var launched = spec with { FilePath = launcher, Arguments = [.. arguments, .. spec.Arguments] };
            pid = UnixSpawner.Spawn(launched, -1, stdoutFd, stderrFd, theirs);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        finally
        {
            UnixNative.close(theirs);
        }

        if (pid <= 0)
        {
            socket.Dispose();
            return null;
        }

        string? reply = ReadReply(socket);
        if (reply is not null && reply.StartsWith("ok ", StringComparison.Ordinal)
            && int.TryParse(reply.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int plugin))
        {
            return new LauncherLink(socket, pid, plugin);
        }

        // The launcher is ending (it could not start the plugin) or broken: reap it either way.
        socket.Dispose();
        UnixNative.kill(pid, UnixNative.SIGKILL);
        UnixReaper.Watch(pid, _ => { });
        if (reply is not null && reply.StartsWith("error ", StringComparison.Ordinal)
            && int.TryParse(reply.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int errno))
        {
            throw spawnFailure(spec.FilePath, errno);
        }

        return null;
    }

    /// <summary>Sends one command; a launcher that is gone needs none.</summary>
    public void Send(string command)
    {
        try
        {
            socket.Send(Encoding.UTF8.GetBytes(command + "\n"));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes our end: a launcher whose plugin still runs takes that as "kill everything".</summary>
    public void Dispose() => socket.Dispose();

    private static string? ReadReply(Socket socket)
    {
        socket.ReceiveTimeout = (int)ReplyTimeout.TotalMilliseconds;
        var line = new StringBuilder();
        var buffer = new byte[1];
        try
        {
            // Byte by byte: nothing after the newline may be taken from the socket here (there is nothing, but
            // the protocol does not promise it).
            while (line.Length < 64 && socket.Receive(buffer) == 1 && buffer[0] != (byte)'\n')
            {
                line.Append((char)buffer[0]);
            }
        }
        catch (SocketException)
        {
            return null;
        }

        return line.ToString();
    }
}
