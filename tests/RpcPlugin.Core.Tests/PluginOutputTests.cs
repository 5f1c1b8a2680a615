using System;
using System.Linq;
using System.Threading.Tasks;
using RpcPlugin.Core.Sessions;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests;

/// <summary>What a plugin writes after its handshake reaches the session log, by every route.</summary>
public class PluginOutputTests
{
    [Theory]
    [InlineData(Channel.Stdout, false, RpcPluginLogSource.Stdout)]
    [InlineData(Channel.Stderr, false, RpcPluginLogSource.Stderr)]
    [InlineData(Channel.Stdout, true, RpcPluginLogSource.StdioStdout)]
    [InlineData(Channel.Stderr, true, RpcPluginLogSource.StdioStderr)]
    public async Task Output_after_the_handshake_is_logged_with_its_source(Channel channel, bool viaStdio, RpcPluginLogSource source)
    {
        await using PluginSession session = await TestPlugins.StartAsync();
        string text = $"hello {channel} {viaStdio} {Guid.NewGuid():N}";

        await TestPluginInfo.Client(session).PrintAsync(new PrintRequest { Text = text + "\n", Channel = channel, ViaStdio = viaStdio });

        Assert.True(await TestPlugins.WaitUntilAsync(() => session.Log.Snapshot().Any(e => e.Message == text && e.Source == source), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Hclog_lines_the_plugin_logs_keep_their_level_and_fields()
    {
        await using PluginSession session = await TestPlugins.StartAsync();
        var request = new LogRequest { Level = "warn", Message = "disk almost full" };
        request.Fields.Add("free_mb", "12");

        await TestPluginInfo.Client(session).LogAsync(request);

        Assert.True(await TestPlugins.WaitUntilAsync(() => session.Log.Snapshot().Any(e => e.Message == "disk almost full"), TimeSpan.FromSeconds(10)));
        RpcPluginLogEntry entry = session.Log.Snapshot().Single(e => e.Message == "disk almost full");
        Assert.Equal(RpcPluginLogLevel.Warn, entry.Level);
        Assert.Equal("12", entry.Fields["free_mb"]);
    }
}
