namespace RpcPlugin.Core.Settings;

/// <summary>Everything needed to start a plugin. Paths are absolute: callers resolve them against their own location.</summary>
public sealed class PluginStartInfo
{
    /// <summary>Creates start information for an executable.</summary>
    /// <param name="filePath">The absolute path of the plugin executable.</param>
    public PluginStartInfo(string filePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        FilePath = filePath;
    }

    /// <summary>The absolute path of the plugin executable.</summary>
    public string FilePath { get; }

    /// <summary>Arguments passed as an argument vector (never through a shell).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = Array.Empty<string>();

    /// <summary>The session's name; the executable's name when not given.</summary>
    public string? Name { get; init; }

    /// <summary>Variables added to (or, with a null value, removed from) the plugin's environment only. They win over everything else.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>The plugin's working directory (absolute); the current directory when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The magic cookie's variable name.</summary>
    public string MagicCookieKey { get; init; } = ClientDefaults.DefaultCookieKey;

    /// <summary>The magic cookie's value.</summary>
    public string MagicCookieValue { get; init; } = ClientDefaults.DefaultCookieValue;

    /// <summary>The application protocol versions offered in <c>PLUGIN_PROTOCOL_VERSIONS</c>.</summary>
    public IReadOnlyList<int> ProtocolVersions { get; init; } = new[] { 1 };

    /// <summary>Whether to use go-plugin's AutoMTLS.</summary>
    public bool AutoMtls { get; init; } = true;

    /// <summary>Manual TLS settings.</summary>
    public PluginTlsOptions Tls { get; init; } = new();

    /// <summary>One deadline for the whole start, retries included.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Further attempts after a transient failure (the process exiting before its handshake, or a refused connection).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Backoff growth per attempt.</summary>
    public double BackoffMultiplier { get; init; } = 2.0;

    /// <summary>Longest wait between attempts.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest message sent or received, in bytes; unlimited (like go-plugin) when null.</summary>
    public int? MaxMessageSize { get; init; }

    /// <summary>The expected checksum of the executable (hex), checked before launch when given.</summary>
    public string? Checksum { get; init; }

    /// <summary>The checksum's algorithm: SHA256 (default), SHA384, SHA512 or SHA1.</summary>
    public string ChecksumAlgorithm { get; init; } = "SHA256";

    /// <summary>
    /// Whether the plugin is a Terraform provider: the session then uses the module's tfplugin5/tfplugin6
    /// descriptors (no reflection) and converts DynamicValue fields by the provider's schema. The caller sets
    /// Terraform's cookie and versions (<see cref="Terraform.TerraformProtocol"/>); every version offered must be 5 or 6.
    /// </summary>
    public bool Terraform { get; init; }

    /// <summary>Where to find method and message descriptors besides server reflection.</summary>
    public DescriptorOptions Descriptors { get; init; } = new();
}
