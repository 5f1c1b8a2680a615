using System.Collections;
using System.Globalization;
using System.Management.Automation;
using RpcPlugin.Arguments;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;
using RpcPlugin.Core.Terraform;
using RpcPlugin.Output;
using RpcPlugin.State;

namespace RpcPlugin.Bases;

/// <summary>
/// The parameters and the start logic shared by <c>Start-RpcPlugin</c> and <c>Use-RpcPlugin</c>. Settings not
/// given as parameters come from the caller's environment (PLUGIN_CONNECTION_TIMEOUT, ...), then defaults.
/// </summary>
public abstract class StartPluginCmdletBase : PluginConnectionCmdletBase
{
    /// <summary>Variables for the plugin process only (a $null value removes one). They win over everything else.</summary>
    [Parameter]
    public IDictionary? Environment { get; set; }

    /// <summary>The plugin's working directory; the current location when not given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>The magic cookie's variable name (else PLUGIN_MAGIC_COOKIE_KEY, else PLUGIN_MAGIC_COOKIE).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MagicCookieKey { get; set; }

    /// <summary>The magic cookie's value (else PLUGIN_MAGIC_COOKIE_VALUE, else test_cookie_value).</summary>
    [Parameter]
    [ValidateNotNull]
    public string? MagicCookieValue { get; set; }

    /// <summary>Application protocol versions to offer (default 1); the plugin picks one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateRange(1, int.MaxValue)]
    public int[]? ProtocolVersion { get; set; }

    /// <summary>Do not use go-plugin's AutoMTLS (else PLUGIN_AUTO_MTLS decides; default on).</summary>
    [Parameter]
    public SwitchParameter NoAutoMtls { get; set; }

    /// <summary>One deadline for the whole start, retries included (else PLUGIN_CONNECTION_TIMEOUT, else 10 s).</summary>
    [Parameter]
    [TimeSpanArgument]
    public TimeSpan? StartTimeout { get; set; }

    /// <summary>Further attempts after a transient start failure (else PLUGIN_CLIENT_MAX_RETRIES, else 3).</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int? MaxRetries { get; set; }

    /// <summary>Expected hash of the executable (hex); nothing starts on a mismatch.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Checksum { get; set; }

    /// <summary>The checksum's algorithm: SHA256 (default), SHA384, SHA512, SHA1 or MD5.</summary>
    [Parameter]
    [ValidateSet("SHA256", "SHA384", "SHA512", "SHA1", "MD5", IgnoreCase = true)]
    public string ChecksumAlgorithm { get; set; } = "SHA256";

    /// <summary>The executable, as the derived cmdlet binds it.</summary>
    protected abstract string PluginPath { get; }

    /// <summary>The plugin's arguments, as the derived cmdlet binds them.</summary>
    protected abstract string[]? PluginArguments { get; }

    /// <summary>Starts the plugin with progress, plugin log display and Ctrl+C, registers it and returns it.</summary>
    protected PluginSession StartSession()
    {
        PluginStartInfo info = BuildStartInfo();
        WriteVerbose($"Starting '{info.FilePath}' with protocol versions {string.Join(",", info.ProtocolVersions)}, AutoMTLS {(info.AutoMtls ? "on" : "off")}, timeout {info.StartTimeout.TotalSeconds:0.###} s.");
        var progress = new Progress(this, info.Name ?? System.IO.Path.GetFileNameWithoutExtension(info.FilePath));
        try
        {
            return OpenSession(
                token => PluginLauncher.StartAsync(info, progress, ShowLogEntry, token),
                session =>
                {
                    WriteVerbose($"Plugin '{session.Name}' (pid {session.ProcessId}) ready at {session.Endpoint}, protocol version {session.ProtocolVersion}, {session.TlsDescription}.");
                    foreach (string warning in session.Warnings)
                    {
                        WriteWarning(warning);
                    }
                });
        }
        finally
        {
            progress.Complete();
        }
    }

    private PluginStartInfo BuildStartInfo()
    {
        CheckTextParameters();
        ClientDefaults defaults = ClientDefaults.FromEnvironment();
        string path = ExecutableResolver.Resolve(this, PluginPath);
        return new PluginStartInfo(path)
        {
            Arguments = PluginArguments ?? Array.Empty<string>(),
            Name = Name,
            Environment = ToEnvironment(Environment),
            WorkingDirectory = WorkingDirectory is null
                ? SessionState.Path.CurrentFileSystemLocation.ProviderPath
                : ExecutableResolver.ResolveDirectory(this, WorkingDirectory),
            MagicCookieKey = MagicCookieKey ?? (Terraform ? TerraformProtocol.MagicCookieKey : defaults.MagicCookieKey),
            MagicCookieValue = MagicCookieValue ?? (Terraform ? TerraformProtocol.MagicCookieValue : defaults.MagicCookieValue),
            ProtocolVersions = ProtocolVersion ?? (Terraform ? TerraformProtocol.ProtocolVersions.ToArray() : new[] { 1 }),
            Terraform = Terraform,
            AutoMtls = !NoAutoMtls && defaults.AutoMtls,
            Tls = BuildTls(defaults),
            StartTimeout = StartTimeout ?? defaults.StartTimeout,
            MaxRetries = MaxRetries ?? defaults.MaxRetries,
            BackoffMultiplier = defaults.BackoffMultiplier,
            BackoffMax = defaults.BackoffMax,
            MaxMessageSize = MaxMessageSize,
            Checksum = Checksum,
            ChecksumAlgorithm = ChecksumAlgorithm,
            Descriptors = BuildDescriptors(),
        };
    }

    private static Dictionary<string, string?> ToEnvironment(IDictionary? variables)
    {
        var result = new Dictionary<string, string?>();
        if (variables is null)
        {
            return result;
        }

        foreach (DictionaryEntry entry in variables)
        {
            // Names and values are checked where every start is, with the magic cookie (StartArguments).
            string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            object? value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
            result[key] = value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        return result;
    }

    /// <summary>Turns start progress into Write-Progress records (and Verbose lines) on the pipeline thread.</summary>
    private sealed class Progress : IProgress<PluginStartProgress>
    {
        private readonly StartPluginCmdletBase cmdlet;
        private readonly ProgressActivity activity;

        public Progress(StartPluginCmdletBase cmdlet, string name)
        {
            this.cmdlet = cmdlet;
            activity = new ProgressActivity($"Starting plugin '{name}'");
        }

        public void Report(PluginStartProgress value)
        {
            string status = $"{value.Stage}: {value.Detail}";
            int percent = (int)Math.Clamp(100 * value.Elapsed.TotalMilliseconds / Math.Max(1, value.Timeout.TotalMilliseconds), 0, 99);
            ProgressRecord record = activity.Update(status, percent);
            cmdlet.Post(() =>
            {
                cmdlet.WriteProgress(record);
                cmdlet.WriteVerbose(status);
            });
        }

        public void Complete() => activity.Complete(cmdlet, "Ready");
    }
}
