using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Core.Tests;

/// <summary>
/// What a plugin prints where its handshake belongs never makes a start wait out its timeout: a handshake with
/// invisible characters around it or without its newline is taken, a broken one fails at once, and the error
/// quotes the plugin's output printably and briefly.
/// </summary>
public class HandshakeOutputTests
{
    // Long, so that waiting it out shows; the assertions allow a tenth of it, generous on a loaded machine.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WellBeforeTimeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("bom-handshake")]
    [InlineData("ansi-handshake")]
    [InlineData("no-newline-handshake")]
    public async Task A_handshake_hidden_in_invisible_characters_or_without_its_newline_starts_the_plugin(string mode)
    {
        var watch = Stopwatch.StartNew();

        PluginSession session = await PluginLauncher.StartAsync(TestPlugins.Info(mode, timeout: StartTimeout));
        int pid = session.ProcessId!.Value;
        try
        {
            Assert.True(watch.Elapsed < WellBeforeTimeout, $"the start took {watch.Elapsed}");
            Assert.Equal(RpcPluginSessionState.Ready, session.State);
            Assert.Contains("testplugin.Echo", (await session.GetDescriptorsAsync()).Services.Select(s => s.FullName));
        }
        finally
        {
            await session.StopAsync();
        }

        Assert.True(await TestPlugins.WaitGoneAsync(pid, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_handshake_attempt_with_a_version_too_large_for_any_integer_fails_at_once()
    {
        var progress = new RecordingProgress();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<PluginException>(() => PluginLauncher.StartAsync(TestPlugins.Info("huge-core", timeout: StartTimeout), progress));

        Assert.True(watch.Elapsed < WellBeforeTimeout, $"the start failed after {watch.Elapsed}");
        Assert.Equal(PluginErrorCode.HandshakeInvalid, error.Code);
        Assert.Contains("'99999999999999999999' is not a version number", error.Message, StringComparison.Ordinal);
        Assert.True(await TestPlugins.WaitGoneAsync(await progress.WaitForPidAsync(), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Binary_noise_is_quoted_printably_and_briefly_with_the_unfinished_last_line()
    {
        var progress = new RecordingProgress();
        // Long enough for the plugin to print all of it on a loaded machine before the timeout ends the wait.
        PluginStartInfo info = TestPlugins.Info("binary-noise", timeout: TimeSpan.FromSeconds(15));

        var error = await Assert.ThrowsAsync<PluginException>(() => PluginLauncher.StartAsync(info, progress));

        Assert.Equal(PluginErrorCode.HandshakeTimeout, error.Code);
        Assert.Contains("still loading the plugin catalogue (no newline yet)", error.Message, StringComparison.Ordinal);
        Assert.Contains("more characters)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, c => char.IsControl(c) && c is not '\r' and not '\n' and not '\t');
        Assert.True(error.Message.Length < 4000, $"a message of {error.Message.Length} characters");
        Assert.True(await TestPlugins.WaitGoneAsync(await progress.WaitForPidAsync(), TimeSpan.FromSeconds(5)));
    }
}
