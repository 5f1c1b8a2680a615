using System;

namespace RpcPlugin.GoPluginServer;

/// <summary>hclog's levels, least severe first.</summary>
public enum HclogLevel
{
    /// <summary>Very detailed tracing.</summary>
    Trace,

    /// <summary>Diagnostics for developers.</summary>
    Debug,

    /// <summary>Normal operation.</summary>
    Info,

    /// <summary>Something unexpected that the plugin survived.</summary>
    Warn,

    /// <summary>An operation failed.</summary>
    Error,
}

/// <summary>Conversions between <see cref="HclogLevel"/> and the names hclog writes.</summary>
public static class HclogLevels
{
    /// <summary>The lower-case name hclog writes in <c>@level</c>.</summary>
    public static string ToName(this HclogLevel level) => level switch
    {
        HclogLevel.Trace => "trace",
        HclogLevel.Debug => "debug",
        HclogLevel.Info => "info",
        HclogLevel.Warn => "warn",
        HclogLevel.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>Parses a level name, case-insensitively; <c>warning</c> is taken for <c>warn</c>.</summary>
    public static bool TryParse(string? name, out HclogLevel level)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "trace": level = HclogLevel.Trace; return true;
            case "debug": level = HclogLevel.Debug; return true;
            case "info": level = HclogLevel.Info; return true;
            case "warn" or "warning": level = HclogLevel.Warn; return true;
            case "error": level = HclogLevel.Error; return true;
            default: level = HclogLevel.Info; return false;
        }
    }
}
