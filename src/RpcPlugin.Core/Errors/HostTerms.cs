namespace RpcPlugin.Core.Errors;

/// <summary>
/// The words the core's error messages use for the host's commands and settings. The core speaks of its own API
/// (<c>PluginStartInfo.StartTimeout</c>); a host replaces these with what its users type (the PowerShell module
/// sets <c>-StartTimeout</c>, <c>Start-RpcPlugin</c>...), so the core needs no knowledge of PowerShell and its
/// hints still name what the user can change.
/// </summary>
public sealed class HostTerms
{
    /// <summary>The terms messages use now; a host sets them once, when it loads.</summary>
    public static HostTerms Current { get; set; } = new();

    /// <summary>How a plugin is started.</summary>
    public string StartCommand { get; init; } = "PluginLauncher.StartAsync";

    /// <summary>What attaches to a running plugin.</summary>
    public string ConnectCommand { get; init; } = "PluginConnector.ConnectAsync";

    /// <summary>How a session is stopped and removed.</summary>
    public string StopCommand { get; init; } = "PluginSession.StopAsync";

    /// <summary>How the plugin's log is read.</summary>
    public string LogCommand { get; init; } = "PluginSession.Log";

    /// <summary>How the methods a session knows are listed.</summary>
    public string MethodsCommand { get; init; } = "DescriptorPool.Services";

    /// <summary>The start timeout setting.</summary>
    public string StartTimeout { get; init; } = "PluginStartInfo.StartTimeout";

    /// <summary>The settings that give descriptors when the plugin serves no reflection.</summary>
    public string DescriptorSources { get; init; } = "DescriptorOptions.ProtoFiles or DescriptorOptions.DescriptorSets";

    /// <summary>The maximum message size setting.</summary>
    public string MaxMessageSize { get; init; } = "PluginStartInfo.MaxMessageSize";

    /// <summary>The setting that refuses plaintext connections.</summary>
    public string RequireTls { get; init; } = "PluginTlsOptions.RequireTls";

    /// <summary>The setting that turns AutoMTLS off.</summary>
    public string NoAutoMtls { get; init; } = "PluginStartInfo.AutoMtls = false";

    /// <summary>The setting that names the certificate authority of a plugin's own certificate.</summary>
    public string CertificateAuthority { get; init; } = "PluginTlsOptions.CertificateAuthorityPath";

    /// <summary>The setting that presents a client certificate of the user's choosing.</summary>
    public string ClientCertificate { get; init; } = "PluginTlsOptions.ClientCertificate";

    /// <summary>The settings of the magic cookie.</summary>
    public string MagicCookie { get; init; } = "PluginStartInfo.MagicCookieKey and MagicCookieValue";

    /// <summary>The setting of the protocol versions offered.</summary>
    public string ProtocolVersion { get; init; } = "PluginStartInfo.ProtocolVersions";

    /// <summary>How a session's health is checked.</summary>
    public string TestCommand { get; init; } = "PluginHealth.CheckAsync";

    /// <summary>The setting that picks one provider of a reattach config.</summary>
    public string ReattachName { get; init; } = "the name argument of ReattachConfig.Parse";

    /// <summary>The setting that makes a session a Terraform provider's.</summary>
    public string Terraform { get; init; } = "PluginConnectInfo.Terraform";
}
