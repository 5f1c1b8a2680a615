using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Core.Tests;

/// <summary>Starts the real test plugin the way the tests need it, and checks processes are gone afterwards.</summary>
internal static class TestPlugins
{
    public static PluginStartInfo Info(string? mode = null, string network = "unix", bool autoMtls = true, Action<Dictionary<string, string?>>? environment = null, TimeSpan? timeout = null, int maxRetries = 0)
    {
        var variables = new Dictionary<string, string?> { ["TESTPLUGIN_NETWORK"] = network, ["TESTPLUGIN_MODE"] = mode };
        environment?.Invoke(variables);
        return new PluginStartInfo(TestPluginLocator.Path)
        {
            Environment = variables,
            ProtocolVersions = new[] { 1, 2 },
            AutoMtls = autoMtls,
            StartTimeout = timeout ?? TimeSpan.FromSeconds(20),
            MaxRetries = maxRetries,
        };
    }

    public static Task<PluginSession> StartAsync(string? mode = null, string network = "unix", bool autoMtls = true, CancellationToken cancellationToken = default) =>
        PluginLauncher.StartAsync(Info(mode, network, autoMtls), cancellationToken: cancellationToken);

    /// <summary>Whether a process is gone (not running and not a zombie waiting to be reaped).</summary>
    public static bool IsGone(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return true;
        }

        try
        {
            string text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Waits (generously) until the process is gone; false if it is still there after <paramref name="within"/>.</summary>
    public static Task<bool> WaitGoneAsync(int pid, TimeSpan within) => WaitUntilAsync(() => IsGone(pid), within);

    /// <summary>Polls until <paramref name="condition"/> holds; false if it still does not after <paramref name="within"/>.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan within)
    {
        DateTime until = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }
}
