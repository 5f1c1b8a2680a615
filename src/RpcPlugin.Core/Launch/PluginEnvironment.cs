using System.Collections;
using System.Globalization;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Core.Launch;

/// <summary>
/// Builds a plugin's environment (docs/protocol.md §1): ours, then the plugin protocol variables, then the user's own
/// variables, which win.
/// </summary>
internal static class PluginEnvironment
{
    public static Dictionary<string, string> Build(PluginStartInfo info, string? clientCertificatePem, string? socketDirectory, IDictionary? parent = null)
    {
        parent ??= Environment.GetEnvironmentVariables();
        StringComparer comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var environment = new Dictionary<string, string>(comparer);
        foreach (DictionaryEntry entry in parent)
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                environment[key] = value;
            }
        }

        environment[info.MagicCookieKey] = info.MagicCookieValue;
        environment["PLUGIN_PROTOCOL_VERSIONS"] = string.Join(",", info.ProtocolVersions.Select(v => v.ToString(CultureInfo.InvariantCulture)));

        // go-plugin's defaults, unless the caller's environment already chose a range.
        environment.TryAdd("PLUGIN_MIN_PORT", "10000");
        environment.TryAdd("PLUGIN_MAX_PORT", "25000");

        // A certificate inherited from our own environment would make the plugin expect a client we are not.
        environment.Remove("PLUGIN_CLIENT_CERT");
        if (clientCertificatePem is not null)
        {
            environment["PLUGIN_CLIENT_CERT"] = clientCertificatePem;
        }

        if (socketDirectory is not null)
        {
            environment["PLUGIN_UNIX_SOCKET_DIR"] = socketDirectory;
        }

        foreach ((string key, string? value) in info.Environment)
        {
            if (value is null)
            {
                environment.Remove(key);
            }
            else
            {
                environment[key] = value;
            }
        }

        return environment;
    }
}
