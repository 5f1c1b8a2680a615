using System;
using System.Linq;
using System.Threading.Tasks;
using RpcPlugin.Core.Attach;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Tests;

/// <summary>What a session says about itself is true at every moment (issue 14, items 13 and 14).</summary>
public class SessionTruthTests
{
    [Fact]
    public async Task An_attached_session_that_stop_disconnected_says_Disconnected_while_its_plugin_runs()
    {
        PluginSession owner = await TestPlugins.StartAsync(autoMtls: false);
        int pid = owner.ProcessId!.Value;
        try
        {
            PluginSession attached = await PluginConnector.ConnectAsync(new PluginConnectInfo(owner.Endpoint) { ProcessId = pid });

            await attached.StopAsync();

            Assert.Equal("Disconnected", attached.State.ToString()); // the name scripts compare with
            Assert.False(attached.Owned);
            Assert.False(TestPlugins.IsGone(pid));
            Assert.Equal(RpcPluginSessionState.Ready, owner.State);
            Assert.Contains("disconnected", attached.ClosedError().Message, StringComparison.Ordinal);
        }
        finally
        {
            await owner.StopAsync();
        }

        Assert.True(TestPlugins.IsGone(pid));
    }

    [Fact]
    public async Task An_attached_session_stopped_with_force_ends_its_plugin_and_says_Exited()
    {
        PluginSession owner = await TestPlugins.StartAsync(autoMtls: false);
        int pid = owner.ProcessId!.Value;
        try
        {
            PluginSession attached = await PluginConnector.ConnectAsync(new PluginConnectInfo(owner.Endpoint) { ProcessId = pid });

            await attached.StopAsync(force: true);

            Assert.Equal(RpcPluginSessionState.Exited, attached.State);
            Assert.True(await TestPlugins.WaitGoneAsync(pid, TimeSpan.FromSeconds(5)));
        }
        finally
        {
            await owner.StopAsync();
        }
    }

    [Fact]
    public async Task Services_read_right_after_the_start_are_the_plugins_services_not_an_empty_list()
    {
        await using PluginSession session = await TestPlugins.StartAsync();

        Assert.Contains("testplugin.Echo", session.Services!);
        Assert.DoesNotContain(session.Services!, s => s.StartsWith("grpc.", StringComparison.Ordinal) || s.StartsWith("plugin.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Services_that_cannot_be_known_are_null_not_empty()
    {
        PluginStartInfo info = TestPlugins.Info();
        info = new PluginStartInfo(info.FilePath)
        {
            Environment = info.Environment,
            ProtocolVersions = info.ProtocolVersions,
            Descriptors = new DescriptorOptions { UseReflection = false },
        };
        await using PluginSession session = await PluginLauncher.StartAsync(info);

        Assert.Null(session.Services);
        Assert.Null(session.Info.Services);
    }

    [Fact]
    public async Task Services_of_a_session_stopped_after_they_loaded_stay_known()
    {
        PluginSession session = await TestPlugins.StartAsync();
        await session.GetDescriptorsAsync();

        await session.StopAsync();

        Assert.Contains("testplugin.Echo", session.Services!);
    }

    [Fact]
    public async Task Stopping_right_after_the_start_leaves_no_error_in_the_plugins_log()
    {
        // Before the fix, the reflection stream of the background descriptor load was cut (RST_STREAM CANCEL) and
        // the test plugin's Grpc.AspNetCore server logged an error with a stack trace in most of these rounds.
        for (int round = 0; round < 8; round++)
        {
            PluginSession session = await TestPlugins.StartAsync();

            await session.StopAsync();

            var errors = session.Log.Snapshot().Where(e => e.Level == RpcPluginLogLevel.Error).Select(e => e.Message).ToList();
            Assert.True(errors.Count == 0, $"round {round}: {string.Join(" | ", errors)}");
            Assert.Equal(0, session.ExitCode);
        }
    }
}
