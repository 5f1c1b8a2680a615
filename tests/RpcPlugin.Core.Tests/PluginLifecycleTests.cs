using System;
using System.IO;
using System.Threading.Tasks;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Core.Tests;

public class PluginLifecycleTests
{
    [Theory]
    [InlineData("unix", true)]
    [InlineData("unix", false)]
    [InlineData("tcp", true)]
    [InlineData("tcp", false)]
    public async Task Start_check_and_stop_leave_no_process_and_no_socket(string network, bool autoMtls)
    {
        PluginSession session = await TestPlugins.StartAsync(network: network, autoMtls: autoMtls);
        int pid = session.ProcessId!.Value;
        try
        {
            Assert.Equal(RpcPluginSessionState.Ready, session.State);
            Assert.Equal(network, session.Network);
            Assert.Equal(autoMtls, session.Tls);
            Assert.Equal(2, session.ProtocolVersion);
            Assert.Empty(session.Warnings);

            HealthResult health = await PluginHealth.CheckAsync(session, null, TimeSpan.FromSeconds(10));
            Assert.True(health.Healthy, health.Status);
            Assert.Equal("plugin", health.Service);
        }
        finally
        {
            await session.StopAsync();
        }

        Assert.Equal(RpcPluginSessionState.Exited, session.State);
        Assert.Equal(0, session.ExitCode);
        Assert.True(TestPlugins.IsGone(pid));
        if (network == "unix")
        {
            Assert.False(File.Exists(session.Address), "the socket file was left behind");
        }
    }

    [Fact]
    public async Task A_session_exposes_its_facade_with_live_state()
    {
        PluginSession session = await TestPlugins.StartAsync();
        RpcPluginSession info = session.Info;
        await session.StopAsync();

        Assert.Equal(session.Id, info.Id);
        Assert.Equal("TestPlugin", info.Name);
        Assert.Equal(RpcPluginSessionState.Exited, info.State);
        Assert.True(info.Owned);
        Assert.NotNull(info.ExitTime);
    }

    [Fact]
    public async Task A_stopped_session_refuses_calls_with_session_closed()
    {
        PluginSession session = await TestPlugins.StartAsync();
        await session.StopAsync();

        var error = Assert.Throws<PluginException>(() => session.CallInvoker);
        Assert.Equal(PluginErrorCode.SessionClosed, error.Code);
    }

    [Fact]
    public async Task Stop_is_idempotent_and_concurrent_stops_share_one()
    {
        PluginSession session = await TestPlugins.StartAsync();

        Task first = session.StopAsync();
        Task second = session.StopAsync();
        await Task.WhenAll(first, second);
        await session.StopAsync();

        Assert.Same(first, second);
        Assert.Equal(RpcPluginSessionState.Exited, session.State);
    }

    [Fact]
    public async Task Cancelling_a_start_leaves_nothing_running()
    {
        var progress = new RecordingProgress();
        using var cancel = new System.Threading.CancellationTokenSource();
        Task<PluginSession> start = PluginLauncher.StartAsync(TestPlugins.Info("slow-start:60000"), progress, cancellationToken: cancel.Token);
        int pid = await progress.WaitForPidAsync();

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        Assert.True(await TestPlugins.WaitGoneAsync(pid, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task The_plugin_sees_its_arguments_environment_and_working_directory_unchanged()
    {
        string directory = Directory.CreateTempSubdirectory("rpcplugin-cwd ").FullName;
        string[] arguments = { "with space", "quote\"s", "semi;colon", "$(not run)", "" };
        PluginStartInfo info = TestPlugins.Info(environment: e => e["RPCPLUGIN_TEST_VALUE"] = "a b;c") ;
        info = new PluginStartInfo(info.FilePath)
        {
            Environment = info.Environment,
            ProtocolVersions = info.ProtocolVersions,
            StartTimeout = info.StartTimeout,
            Arguments = arguments,
            WorkingDirectory = directory,
        };
        PluginSession session = await PluginLauncher.StartAsync(info);
        try
        {
            var (args, cwd, environment) = await TestPluginInfo.GetAsync(session);

            Assert.Equal(arguments, args);
            Assert.Equal(directory, cwd);
            Assert.Equal("a b;c", environment["RPCPLUGIN_TEST_VALUE"]);
            Assert.Equal("test_cookie_value", environment["PLUGIN_MAGIC_COOKIE"]);
            Assert.Equal("1,2", environment["PLUGIN_PROTOCOL_VERSIONS"]);
            Assert.Null(Environment.GetEnvironmentVariable("RPCPLUGIN_TEST_VALUE"));
        }
        finally
        {
            await session.StopAsync();
            Directory.Delete(directory, true);
        }
    }
}
