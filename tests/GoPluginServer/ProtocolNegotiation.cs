using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RpcPlugin.GoPluginServer;

/// <summary>Chooses the app protocol version to announce, as go-plugin's <c>protocolVersion</c> does.</summary>
internal static class ProtocolNegotiation
{
    public const string VersionsVariable = "PLUGIN_PROTOCOL_VERSIONS";

    /// <summary>
    /// The highest version both sides speak. Without a match (or without the variable) the plugin's lowest
    /// version, so that a legacy host that sends nothing gets the oldest protocol and a mismatch is left for the
    /// host to report: go-plugin never refuses to start over versions.
    /// </summary>
    public static int Choose(IReadOnlyList<int> supported, string? offered, HclogLogger log)
    {
        if (supported.Count == 0)
        {
            throw new ArgumentException("A plugin must speak at least one app protocol version.", nameof(supported));
        }

        var chosen = int.MinValue;
        foreach (var entry in (offered ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(entry, NumberStyles.Integer, CultureInfo.InvariantCulture, out var version))
            {
                log.Warn("host sent an invalid plugin version", ("version", entry));
            }
            else if (version > chosen && supported.Contains(version))
            {
                chosen = version;
            }
        }

        return chosen != int.MinValue ? chosen : supported.Min();
    }
}
