using System.Collections;
using System.Globalization;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Settings;

/// <summary>
/// Start settings that come from the caller's environment when no parameter gives them (docs/protocol.md §9, the names
/// pyvider-rpcplugin uses). Parameter beats environment beats these defaults.
/// </summary>
public sealed class ClientDefaults
{
    /// <summary>pyvider's default magic cookie key.</summary>
    public const string DefaultCookieKey = "PLUGIN_MAGIC_COOKIE";

    /// <summary>pyvider's default magic cookie value.</summary>
    public const string DefaultCookieValue = "test_cookie_value";

    /// <summary>The whole start, retries included, must finish within this (<c>PLUGIN_CONNECTION_TIMEOUT</c>, seconds).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Further attempts after a transient start failure (<c>PLUGIN_CLIENT_MAX_RETRIES</c>).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Backoff growth per attempt (<c>PLUGIN_CLIENT_BACKOFF_MULTIPLIER</c>).</summary>
    public double BackoffMultiplier { get; init; } = 2.0;

    /// <summary>Longest wait between attempts (<c>PLUGIN_CLIENT_BACKOFF_MAX</c>, seconds).</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether to verify the server against <see cref="CertificateAuthorityPath"/> (<c>PLUGIN_CLIENT_VERIFY_SERVER</c>).</summary>
    public bool VerifyServer { get; init; } = true;

    /// <summary>A PEM CA file for manual TLS (<c>PLUGIN_CA_CERT</c>, a path or <c>file://</c> URI).</summary>
    public string? CertificateAuthorityPath { get; init; }

    /// <summary>Whether AutoMTLS is used (<c>PLUGIN_AUTO_MTLS</c>).</summary>
    public bool AutoMtls { get; init; } = true;

    /// <summary>The magic cookie's variable name (<c>PLUGIN_MAGIC_COOKIE_KEY</c>).</summary>
    public string MagicCookieKey { get; init; } = DefaultCookieKey;

    /// <summary>The magic cookie's value (<c>PLUGIN_MAGIC_COOKIE_VALUE</c>).</summary>
    public string MagicCookieValue { get; init; } = DefaultCookieValue;

    /// <summary>Reads the settings from an environment (the process's own when none is given).</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/> for a value that cannot be read.</exception>
    public static ClientDefaults FromEnvironment(IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        string? Get(string name) => environment[name] is string value && value.Length > 0 ? value : null;
        var defaults = new ClientDefaults();
        return new ClientDefaults
        {
            StartTimeout = Seconds(Get, "PLUGIN_CONNECTION_TIMEOUT") ?? defaults.StartTimeout,
            MaxRetries = Integer(Get, "PLUGIN_CLIENT_MAX_RETRIES") ?? defaults.MaxRetries,
            BackoffMultiplier = Number(Get, "PLUGIN_CLIENT_BACKOFF_MULTIPLIER") ?? defaults.BackoffMultiplier,
            BackoffMax = Seconds(Get, "PLUGIN_CLIENT_BACKOFF_MAX") ?? defaults.BackoffMax,
            VerifyServer = Boolean(Get, "PLUGIN_CLIENT_VERIFY_SERVER") ?? defaults.VerifyServer,
            CertificateAuthorityPath = Get("PLUGIN_CA_CERT"),
            AutoMtls = Boolean(Get, "PLUGIN_AUTO_MTLS") ?? defaults.AutoMtls,
            MagicCookieKey = Get("PLUGIN_MAGIC_COOKIE_KEY") ?? defaults.MagicCookieKey,
            MagicCookieValue = Get("PLUGIN_MAGIC_COOKIE_VALUE") ?? defaults.MagicCookieValue,
        };
    }

    /// <summary>Reads a boolean the way pyvider does: true/1/yes/on and false/0/no/off, any case.</summary>
    public static bool? ParseBoolean(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => null,
    };

    private static TimeSpan? Seconds(Func<string, string?> get, string name)
    {
        double? seconds = Number(get, name);
        if (seconds is null)
        {
            return null;
        }

        if (!TimeoutRange.ContainsSeconds(seconds.Value))
        {
            throw Bad(name, get(name)!, $"a number of seconds {TimeoutRange.Describe()}");
        }

        return TimeSpan.FromSeconds(seconds.Value);
    }

    private static double? Number(Func<string, string?> get, string name)
    {
        string? text = get(name);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw Bad(name, text, "a number");
    }

    private static int? Integer(Func<string, string?> get, string name)
    {
        string? text = get(name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0
            ? value
            : throw Bad(name, text, "a whole number of 0 or more");
    }

    private static bool? Boolean(Func<string, string?> get, string name)
    {
        string? text = get(name);
        return text is null ? null : ParseBoolean(text) ?? throw Bad(name, text, "true/false, 1/0, yes/no or on/off");
    }

    private static PluginException Bad(string name, string value, string expected) =>
        new(PluginErrorCode.InvalidArgument, $"The environment variable {name} is '{value}', which is not {expected}.")
        {
            RecommendedAction = $"Fix or remove {name} in this session's environment.",
        };
}
