using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using RpcPlugin.Core.Attach;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Tests;

/// <summary>
/// What a session holds is let go on every path: a failed connect closes its connection, a later stop can hurry one
/// under way, a forced stop of a disconnected session still ends its plugin, a death during the descriptor load
/// is told as a death.
/// </summary>
public class SessionLifetimeTests
{
    [Fact]
    public async Task A_connect_that_fails_after_connecting_closes_its_connection()
    {
        PluginSession owner = await TestPlugins.StartAsync(autoMtls: false);
        int pid = owner.ProcessId!.Value;
        try
        {
            // The plugin's own count of open sockets: other tests running beside this one do not change it.
            int before = OpenSockets(pid);
            for (int round = 0; round < 3; round++)
            {
                var error = await Assert.ThrowsAsync<PluginException>(() => PluginConnector.ConnectAsync(new PluginConnectInfo(owner.Endpoint) { Terraform = true }));
                Assert.Equal(PluginErrorCode.ProtocolVersionMismatch, error.Code);
            }

            Assert.True(await TestPlugins.WaitUntilAsync(() => OpenSockets(pid) <= before, TimeSpan.FromSeconds(10)), $"the plugin holds {OpenSockets(pid)} sockets, {before} before the failed connects");
        }
        finally
        {
            await owner.StopAsync();
        }
    }

    [Fact]
    public async Task A_forced_stop_cuts_short_a_graceful_stop_under_way()
    {
        PluginSession session = await TestPlugins.StartAsync("ignore-shutdown,ignore-sigterm");
        int pid = session.ProcessId!.Value;
        Task first = session.StopAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(500);

        var watch = Stopwatch.StartNew();
        await session.StopAsync(force: true).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"the forced stop took {watch.Elapsed}");
        Assert.True(TestPlugins.IsGone(pid));
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(RpcPluginSessionState.Exited, session.State);
    }

    [Fact]
    public async Task A_stop_with_a_shorter_timeout_ends_one_under_way_at_its_own_deadline()
    {
        PluginSession session = await TestPlugins.StartAsync("ignore-shutdown,ignore-sigterm");
        int pid = session.ProcessId!.Value;
        Task first = session.StopAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(500);

        var watch = Stopwatch.StartNew();
        await session.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the shorter stop took {watch.Elapsed}");
        Assert.True(TestPlugins.IsGone(pid));
        await first.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_cancelled_second_stop_returns_at_once_and_the_first_goes_on()
    {
        PluginSession session = await TestPlugins.StartAsync("ignore-shutdown,ignore-sigterm");
        int pid = session.ProcessId!.Value;
        try
        {
            Task first = session.StopAsync(TimeSpan.FromSeconds(20));
            using var cancel = new CancellationTokenSource();
            Task second = session.StopAsync(cancellationToken: cancel.Token);
            await Task.Delay(300);

            var watch = Stopwatch.StartNew();
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(TimeSpan.FromSeconds(30)));

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"the cancelled stop took {watch.Elapsed}");
            Assert.False(first.IsCompleted);
            Assert.False(TestPlugins.IsGone(pid));
            Assert.Equal(RpcPluginSessionState.Stopping, session.State);
        }
        finally
        {
            await session.StopAsync(force: true);
        }

        Assert.True(TestPlugins.IsGone(pid));
    }

    [Fact]
    public async Task A_forced_stop_of_a_disconnected_session_ends_its_plugin()
    {
        PluginSession owner = await TestPlugins.StartAsync(autoMtls: false);
        int pid = owner.ProcessId!.Value;
        try
        {
            PluginSession attached = await PluginConnector.ConnectAsync(new PluginConnectInfo(owner.Endpoint) { ProcessId = pid });
            await attached.StopAsync();
            Assert.Equal(RpcPluginSessionState.Disconnected, attached.State);

            await attached.StopAsync(force: true);

            Assert.True(await TestPlugins.WaitGoneAsync(pid, TimeSpan.FromSeconds(5)));
            Assert.Equal(RpcPluginSessionState.Exited, attached.State);
        }
        finally
        {
            await owner.StopAsync();
        }
    }

    [Fact]
    public async Task A_plugin_that_dies_while_its_descriptors_load_is_reported_exited_with_code_and_stderr()
    {
        // The first two reflection streams are never answered: the load waits on them while the plugin is killed.
        PluginSession session = await TestPlugins.StartAsync("silent-reflection:2");
        int pid = session.ProcessId!.Value;
        try
        {
            Task load = session.GetDescriptorsAsync();
            Assert.True(await TestPlugins.WaitUntilAsync(() => session.Log.Snapshot().Any(e => e.Message.Contains("leaving a reflection stream unanswered", StringComparison.Ordinal)), TimeSpan.FromSeconds(10)));

            Process.GetProcessById(pid).Kill();

            var error = await Assert.ThrowsAsync<PluginException>(() => load.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(PluginErrorCode.PluginExited, error.Code);
            Assert.Equal(128 + 9, error.ExitCode);
            Assert.Contains("exit code 137", error.Message, StringComparison.Ordinal);
            Assert.NotEmpty(error.StderrTail);
        }
        finally
        {
            await session.StopAsync();
        }
    }

    [Fact]
    public async Task A_start_cancelled_at_its_very_end_stops_its_plugin_instead_of_handing_it_out()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new RecordingProgress { OnReport = p => { if (p.Stage == PluginStartStage.Ready) { cancel.Cancel(); } } };

        Task<PluginSession> start = PluginLauncher.StartAsync(TestPlugins.Info(), progress, cancellationToken: cancel.Token);
        int pid = await progress.WaitForPidAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        Assert.True(await TestPlugins.WaitGoneAsync(pid, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task The_TLS_probe_after_a_dropped_connection_ends_by_the_connect_timeout()
    {
        // A server that takes each connection and hangs up 2.5 s later: the health check fails just before the
        // 3 s timeout, and the probe for a TLS server that follows must not go on past it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Socket socket = await listener.AcceptSocketAsync(stop.Token);
                _ = Task.Delay(TimeSpan.FromSeconds(2.5)).ContinueWith(_ => socket.Dispose(), TaskScheduler.Default);
            }
        });
        var endpoint = new PluginEndpoint("tcp", $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<PluginException>(() => PluginConnector.ConnectAsync(new PluginConnectInfo(endpoint) { Timeout = TimeSpan.FromSeconds(3) }));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"the connect took {watch.Elapsed}");
        stop.Cancel();
    }

    private static int OpenSockets(int pid) =>
        Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true;
            }
            catch (IOException)
            {
                return false; // closed while counted
            }
        });
}
