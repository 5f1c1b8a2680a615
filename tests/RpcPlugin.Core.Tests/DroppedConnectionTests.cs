using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Sessions;

namespace RpcPlugin.Core.Tests;

/// <summary>
/// A plugin that sends its first connection away (HTTP/2 GOAWAY right after the handshake): the start is retried on
/// a new process, and when no retry is left the error says so. And the test plugin's server itself never does that
/// to a connection that is merely slow to speak.
/// </summary>
public class DroppedConnectionTests
{
    [Fact]
    public async Task A_plugin_that_sends_its_first_connection_away_is_started_again()
    {
        string marker = NewMarkerPath();
        var progress = new RecordingProgress();
        try
        {
            await using PluginSession session = await PluginLauncher.StartAsync(TestPlugins.Info($"drop-first-connection:{marker}", maxRetries: 1), progress);

            Assert.Equal(2, progress.Launches);
            Assert.Contains(progress.Reports, r => r.Stage == PluginStartStage.BackingOff && r.Detail.Contains("closed the new connection", StringComparison.Ordinal));
            Assert.Equal("still here", (await TestPluginInfo.Client(session).UnaryAsync(new RpcPlugin.TestPlugin.Protos.EchoRequest { Message = "still here" }).ResponseAsync).Message);
            Assert.True(await TestPlugins.WaitGoneAsync(await progress.WaitForPidAsync(), TimeSpan.FromSeconds(5)));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task With_no_retry_left_the_dropped_connection_is_ConnectionFailed_saying_what_happened()
    {
        string marker = NewMarkerPath();
        var progress = new RecordingProgress();
        try
        {
            var error = await Assert.ThrowsAsync<PluginException>(() => PluginLauncher.StartAsync(TestPlugins.Info($"drop-first-connection:{marker}", maxRetries: 0), progress));

            Assert.Equal(PluginErrorCode.ConnectionFailed, error.Code);
            Assert.Contains("closed the new connection", error.Message, StringComparison.Ordinal);
            Assert.Contains("Last lines of its standard error", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, progress.Launches);
            Assert.True(await TestPlugins.WaitGoneAsync(await progress.WaitForPidAsync(), TimeSpan.FromSeconds(5)));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task The_test_plugin_waits_for_a_client_that_is_slow_to_send_its_preface()
    {
        // Its server once sent such a connection away at its next heartbeat (about a second): a loaded machine's
        // new connections failed now and then.
        await using PluginSession session = await TestPlugins.StartAsync(autoMtls: false);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(session.Endpoint.Address));

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        byte[] preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        byte[] emptySettings = { 0, 0, 0, 4, 0, 0, 0, 0, 0 };
        await socket.SendAsync(preface.Concat(emptySettings).ToArray(), SocketFlags.None);

        byte[] header = new byte[9];
        int read = 0;
        while (read < header.Length)
        {
            int n = await socket.ReceiveAsync(header.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(n > 0, $"the plugin closed the connection after {read} bytes");
            read += n;
        }

        const byte Settings = 4;
        Assert.Equal(Settings, header[3]);
    }

    private static string NewMarkerPath() => Path.Combine(Path.GetTempPath(), "rpcplugin-drop-" + Guid.NewGuid().ToString("N"));
}
