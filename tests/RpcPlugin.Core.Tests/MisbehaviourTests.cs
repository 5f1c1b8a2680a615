using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Core.Tests;

/// <summary>Every misbehaviour mode of the test plugin gives its documented error, and leaves nothing running.</summary>
public class MisbehaviourTests
{
    [Theory]
    [InlineData("garbage", PluginErrorCode.HandshakeInvalid, "carrier-pigeon")]
    [InlineData("wrong-core", PluginErrorCode.ProtocolVersionMismatch, "core protocol version 2")]
    [InlineData("wrong-app-version", PluginErrorCode.ProtocolVersionMismatch, "version 99")]
    [InlineData("netrpc", PluginErrorCode.HandshakeInvalid, "net/rpc")]
    [InlineData("exit-early", PluginErrorCode.PluginExited, "exit-early")]
    [InlineData("wrong-cert", PluginErrorCode.TlsFailure, "other than the one in its handshake")]
    public async Task A_misbehaving_plugin_gives_its_error_and_no_process_survives(string mode, PluginErrorCode code, string detail)
    {
        var progress = new RecordingProgress();

        var error = await Assert.ThrowsAsync<PluginException>(() => PluginLauncher.StartAsync(TestPlugins.Info(mode), progress));

        Assert.Equal(code, error.Code);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        Assert.True(await TestPlugins.WaitGoneAsync(await progress.WaitForPidAsync(), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Exit_before_handshake_reports_the_exit_code_and_stderr()
    {
        var error = await Assert.ThrowsAsync<PluginException>(() => PluginLauncher.StartAsync(TestPlugins.Info("exit-early")));

        Assert.Equal(3, error.ExitCode);
        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.StderrTail, line => line.Contains("exit-early", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exit_before_handshake_is_retried_as_often_as_asked()
    {
        var progress = new RecordingProgress();
        PluginStartInfo info = TestPlugins.Info("exit-early", maxRetries: 2);

        await Assert.ThrowsAsync<PluginException>(() => PluginLauncher.StartAsync(info, progress));

        Assert.Equal(3, progress.Launches);
    }

    [Fact]
    public async Task A_wrong_cookie_is_rejected_with_the_plugins_own_words_and_not_retried()
    {
        var progress = new RecordingProgress();
        PluginStartInfo info = TestPlugins.Info(maxRetries: 3);
        info = new PluginStartInfo(info.FilePath) { Environment = info.Environment, MagicCookieValue = "wrong", MaxRetries = 3 };

        var error = await Assert.ThrowsAsync<PluginException>(() => PluginLauncher.StartAsync(info, progress));

        Assert.Equal(PluginErrorCode.MagicCookieRejected, error.Code);
        Assert.Contains("This binary is a plugin", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.ExitCode);
        Assert.Equal(1, progress.Launches);
    }

    [Fact]
    public async Task Noise_before_the_handshake_is_skipped_and_kept_in_the_log()
    {
        await using PluginSession session = await TestPlugins.StartAsync("noise-then-handshake");

        Assert.Equal(RpcPluginSessionState.Ready, session.State);
        Assert.Contains(session.Log.Snapshot(), e => e.Source == RpcPluginLogSource.Stdout);
    }

    [Fact]
    public async Task No_handshake_within_the_timeout_is_a_handshake_timeout_on_time()
    {
        var watch = Stopwatch.StartNew();
        PluginStartInfo info = TestPlugins.Info("slow-start:5000", timeout: TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<PluginException>(() => PluginLauncher.StartAsync(info));

        Assert.Equal(PluginErrorCode.HandshakeTimeout, error.Code);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
    }

    [Theory]
    [InlineData("ignore-shutdown", 0)] // then SIGTERM ends it gracefully
    [InlineData("ignore-shutdown,ignore-sigterm", 128 + 9)] // only SIGKILL ends it
    public async Task A_plugin_that_ignores_requests_to_stop_is_still_stopped(string mode, int exitCode)
    {
        PluginSession session = await TestPlugins.StartAsync(mode);
        int pid = session.ProcessId!.Value;

        // A second: the SIGTERM grace is the shorter of the timeout and 1 s, and a loaded machine needs it whole.
        await session.StopAsync(TimeSpan.FromSeconds(1));

        Assert.True(TestPlugins.IsGone(pid));
        Assert.Equal(RpcPluginSessionState.Exited, session.State);
        Assert.Equal(exitCode, session.ExitCode);
    }

    [Fact]
    public async Task Stopping_a_plugin_kills_the_children_it_started()
    {
        PluginSession session = await TestPlugins.StartAsync("spawn-child");
        int grandchild = await TestPluginInfo.GrandchildPidAsync(session);
        Assert.True(grandchild > 0);
        Assert.False(TestPlugins.IsGone(grandchild));

        await session.StopAsync();

        Assert.True(await TestPlugins.WaitGoneAsync(grandchild, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_plugin_that_exits_by_itself_turns_the_session_exited_with_its_code()
    {
        PluginSession session = await TestPlugins.StartAsync("crash-after:0");
        try
        {
            // What the log holds the moment the session says it exited: the plugin went down right after a burst
            // of lines bigger than a pipe's buffer, so its last words were still unread when the process was gone.
            Task<string?> lastLineWhenClosed = session.Closed.ContinueWith(_ => session.Log.StderrTail().LastOrDefault(), TaskContinuationOptions.ExecuteSynchronously);
            await Assert.ThrowsAnyAsync<Exception>(() => TestPluginInfo.Client(session).UnaryAsync(new TestPlugin.Protos.EchoRequest { Message = "boom" }).ResponseAsync);
            await session.Closed.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.StartsWith("panic: ", await lastLineWhenClosed, StringComparison.Ordinal);
            Assert.Equal(RpcPluginSessionState.Exited, session.State);
            Assert.Equal(2, session.ExitCode);
            Assert.Contains(session.Log.StderrTail(), l => l.StartsWith("panic: ", StringComparison.Ordinal));
            Assert.Equal(PluginErrorCode.SessionClosed, Assert.Throws<PluginException>(() => session.CallInvoker).Code);
        }
        finally
        {
            await session.StopAsync();
        }
    }
}
