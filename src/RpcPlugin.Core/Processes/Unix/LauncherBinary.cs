using System.Runtime.InteropServices;

namespace RpcPlugin.Core.Processes.Unix;

/// <summary>
/// Finds rpcplugin-launcher, the small C program that starts each plugin on Linux as a child subreaper (see
/// src/RpcPlugin.Launcher and docs/process-control.md). It is built when a C compiler is present and ships under
/// <c>launcher/&lt;rid&gt;/</c> next to this assembly. The environment variable <c>RPCPLUGIN_LAUNCHER</c> overrides:
/// <c>off</c> starts plugins directly, a path names another launcher.
/// </summary>
internal static class LauncherBinary
{
    /// <summary>The variable that overrides the launcher: <c>off</c>, or a path.</summary>
    public const string Variable = "RPCPLUGIN_LAUNCHER";

    private static readonly Lazy<string?> Shipped = new(FindShipped);

    /// <summary>The launcher to use, or null to start plugins directly (not Linux, not built, or turned off).</summary>
    public static string? Path
    {
        get
        {
            string? chosen = Environment.GetEnvironmentVariable(Variable);
            if (string.Equals(chosen, "off", StringComparison.OrdinalIgnoreCase) || chosen == "0")
            {
                return null;
            }

            return string.IsNullOrEmpty(chosen) ? Shipped.Value : chosen;
        }
    }

    /// <summary>Where the build puts it for this machine's architecture, if it is there.</summary>
    public static string? ShippedPath => Shipped.Value;

    private static string? FindShipped()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null; // the launcher needs PR_SET_CHILD_SUBREAPER, which only Linux has
        }

        string? rid = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "linux-x64",
            Architecture.Arm64 => "linux-arm64",
            _ => null,
        };
        if (rid is null)
        {
            return null;
        }

        // The launcher ships once, beside the IL assemblies (bin/launcher/<rid>/); this assembly may have been
        // loaded from a ReadyToRun folder below them (bin/ReadyToRun/<tfm>/<rid>/), so look there and above.
        string? directory = System.IO.Path.GetDirectoryName(typeof(LauncherBinary).Assembly.Location);
        for (int level = 0; level < 4 && !string.IsNullOrEmpty(directory); level++)
        {
            string candidate = System.IO.Path.Combine(directory, "launcher", rid, "rpcplugin-launcher");
            if (File.Exists(candidate))
            {
                return candidate;
            }

            directory = System.IO.Path.GetDirectoryName(directory);
        }

        return null;
    }
}
