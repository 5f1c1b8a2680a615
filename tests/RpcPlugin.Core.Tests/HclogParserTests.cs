using System;
using RpcPlugin.Core.Logs;

namespace RpcPlugin.Core.Tests;

public class HclogParserTests
{
    [Fact]
    public void Hclog_json_lines_become_level_message_time_module_and_fields()
    {
        var parser = new HclogParser(RpcPluginLogSource.Stderr);

        RpcPluginLogEntry entry = parser.Parse("""{"@level":"warn","@message":"disk low","@module":"kv","@timestamp":"2024-01-02T15:04:05.123456Z","free":12,"path":"/var","nested":{"a":true}}""");

        Assert.Equal(RpcPluginLogLevel.Warn, entry.Level);
        Assert.Equal("disk low", entry.Message);
        Assert.Equal("kv", entry.Module);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 15, 4, 5, TimeSpan.Zero).AddTicks(1234560), entry.Time);
        Assert.Equal(new object[] { "free", "path", "nested" }, new System.Collections.ArrayList(entry.Fields.Keys).ToArray());
        Assert.Equal(12L, entry.Fields["free"]);
        Assert.Equal(RpcPluginLogSource.Stderr, entry.Source);
    }

    [Theory]
    [InlineData("2024-01-02T15:04:05.123Z [ERROR] plugin: boom", RpcPluginLogLevel.Error)]
    [InlineData("[INFO] started", RpcPluginLogLevel.Info)]
    [InlineData("2024/01/02 15:04:05 [TRACE] detail", RpcPluginLogLevel.Trace)]
    [InlineData("just a line", RpcPluginLogLevel.Debug)]
    [InlineData("{not json", RpcPluginLogLevel.Debug)]
    [InlineData("""{"other":"json"}""", RpcPluginLogLevel.Debug)]
    public void Plain_lines_take_their_level_from_a_tag_else_debug(string line, RpcPluginLogLevel expected)
    {
        RpcPluginLogEntry entry = new HclogParser(RpcPluginLogSource.Stderr).Parse(line);

        Assert.Equal(expected, entry.Level);
        Assert.Equal(line, entry.Message);
    }

    [Fact]
    public void Everything_untagged_after_a_go_panic_is_an_error()
    {
        var parser = new HclogParser(RpcPluginLogSource.Stderr);
        Assert.Equal(RpcPluginLogLevel.Debug, parser.Parse("before").Level);

        Assert.Equal(RpcPluginLogLevel.Error, parser.Parse("panic: runtime error: index out of range").Level);
        Assert.Equal(RpcPluginLogLevel.Error, parser.Parse("goroutine 1 [running]:").Level);
        Assert.Equal(RpcPluginLogLevel.Info, parser.Parse("[INFO] tagged still wins").Level);
    }
}
