using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using RpcPlugin.Core.Processes.Unix;
using RpcPlugin.Core.Sessions;

namespace RpcPlugin.Core.Tests;

/// <summary>
/// Stopping a plugin stops everything it started, whatever its children do to leave its process group (issue 14,
/// item 11): a grandchild that called setsid or setpgid is killed and reaped (a zombie is still a process) when
/// the plugin is stopped, and when the plugin ends by itself.
/// </summary>
public class ContainmentTests
{
    [LauncherTheory]
    [InlineData("setsid")]
    [InlineData("setpgid")]
    public async Task A_grandchild_that_left_the_plugins_group_is_gone_after_a_default_stop(string escape)
    {
        PluginSession session = await TestPlugins.StartAsync("spawn-child:" + escape);
        int grandchild = await EscapedGrandchildAsync(session);

        await session.StopAsync();

        Assert.Equal(0, session.ExitCode); // the plugin itself exited gracefully
        Assert.True(await WaitReapedAsync(grandchild), $"grandchild {grandchild} ({escape}) outlived the stop: {Describe(grandchild)}");
    }

    [LauncherTheory]
    [InlineData("setsid")]
    [InlineData("setpgid")]
    public async Task A_grandchild_that_left_the_plugins_group_dies_with_a_plugin_that_exits_by_itself(string escape)
    {
        PluginSession session = await TestPlugins.StartAsync($"spawn-child:{escape},crash-after:1");
        try
        {
            int grandchild = await EscapedGrandchildAsync(session);

            await Assert.ThrowsAnyAsync<Exception>(() => TestPluginInfo.Client(session).UnaryAsync(new TestPlugin.Protos.EchoRequest { Message = "boom" }).ResponseAsync);
            await session.Closed.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(2, session.ExitCode);
            Assert.True(await WaitReapedAsync(grandchild), $"grandchild {grandchild} ({escape}) outlived its plugin: {Describe(grandchild)}");
        }
        finally
        {
            await session.StopAsync();
        }
    }

    [LauncherFact]
    public async Task A_forced_stop_ends_an_escaped_grandchild_too()
    {
        PluginSession session = await TestPlugins.StartAsync("spawn-child:setsid");
        int grandchild = await EscapedGrandchildAsync(session);

        await session.StopAsync(force: true);

        Assert.Equal(128 + 9, session.ExitCode);
        Assert.True(await WaitReapedAsync(grandchild), $"grandchild {grandchild} outlived a forced stop: {Describe(grandchild)}");
    }

    private static async Task<int> EscapedGrandchildAsync(PluginSession session)
    {
        int grandchild = await TestPluginInfo.GrandchildPidAsync(session);
        Assert.True(grandchild > 0);

        // It has left the plugin's group by the time its pid is known? Not necessarily: wait for it to have.
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        while (ProcessGroup(grandchild) == session.ProcessId && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        Assert.NotEqual(session.ProcessId, ProcessGroup(grandchild));
        return grandchild;
    }

    /// <summary>Waits until the process is gone altogether: not running, and not a zombie either.</summary>
    private static async Task<bool> WaitReapedAsync(int pid)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        while (Directory.Exists($"/proc/{pid}"))
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    private static int? ProcessGroup(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(rest[2], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Describe(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return "gone";
        }
    }
}

/// <summary>A test of what rpcplugin-launcher guarantees; skipped, saying why, where it was not built.</summary>
internal sealed class LauncherFactAttribute : FactAttribute
{
    public LauncherFactAttribute()
    {
        Skip = LauncherSkip.Reason;
    }
}

/// <summary>A theory of what rpcplugin-launcher guarantees; skipped, saying why, where it was not built.</summary>
internal sealed class LauncherTheoryAttribute : TheoryAttribute
{
    public LauncherTheoryAttribute()
    {
        Skip = LauncherSkip.Reason;
    }
}

internal static class LauncherSkip
{
    public static string? Reason => !OperatingSystem.IsLinux()
        ? "rpcplugin-launcher exists on Linux only (no child subreaper elsewhere)."
        : LauncherBinary.ShippedPath is null
            ? "rpcplugin-launcher was not built: no C compiler (cc) was found when RpcPlugin.Core was built (Debian: apt-get install gcc libc6-dev)."
            : null;
}
