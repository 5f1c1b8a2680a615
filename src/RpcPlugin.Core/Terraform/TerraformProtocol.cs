using Google.Protobuf.Reflection;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// Terraform's settings for go-plugin and the tfplugin5/tfplugin6 descriptors the module carries (providers serve
/// no reflection). The descriptors match Terraform's published protocol 5.9 and 6.9 (protos/terraform/), comments
/// included, and are built into this assembly as descriptor sets: reading them costs a parse, no compiler.
/// </summary>
public static class TerraformProtocol
{
    /// <summary>The variable go-plugin's handshake checks: Terraform's magic cookie key.</summary>
    public const string MagicCookieKey = "TF_PLUGIN_MAGIC_COOKIE";

    /// <summary>Terraform's magic cookie value.</summary>
    public const string MagicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

    private static readonly Lazy<IReadOnlyList<DescriptorFile>> Version5 = new(() => Load(5));
    private static readonly Lazy<IReadOnlyList<DescriptorFile>> Version6 = new(() => Load(6));

    // A pool is immutable, and building one links about 40 KB of descriptors (tens of milliseconds): once per process.
    private static readonly Lazy<DescriptorPool> Pool5 = new(() => BuildPool(5));
    private static readonly Lazy<DescriptorPool> Pool6 = new(() => BuildPool(6));

    /// <summary>The app protocol versions Terraform offers in <c>PLUGIN_PROTOCOL_VERSIONS</c>: 5 and 6.</summary>
    public static IReadOnlyList<int> ProtocolVersions { get; } = new[] { 5, 6 };

    /// <summary>Whether this is a Terraform provider protocol version (5 or 6).</summary>
    public static bool IsProviderProtocol(int protocolVersion) => protocolVersion is 5 or 6;

    /// <summary>The minor version the built-in descriptors match, e.g. <c>6.9</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 5 or 6.</exception>
    public static string MinorVersion(int protocolVersion) => $"{Check(protocolVersion)}.9";

    /// <summary>The provider service of a protocol version: <c>tfplugin5.Provider</c> or <c>tfplugin6.Provider</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 5 or 6.</exception>
    public static string ProviderService(int protocolVersion) => $"tfplugin{Check(protocolVersion)}.Provider";

    /// <summary>
    /// The descriptor files of a protocol version (<c>tfplugin5.proto</c> or <c>tfplugin6.proto</c>; Timestamp, which
    /// v6 imports, is built into Google.Protobuf), as a descriptor source for <see cref="RpcPlugin.Core.Descriptors.DescriptorPool.Build"/>.
    /// Parsed once per process.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 5 or 6.</exception>
    public static IReadOnlyList<DescriptorFile> Descriptors(int protocolVersion) =>
        Check(protocolVersion) == 5 ? Version5.Value : Version6.Value;

    /// <summary>
    /// A pool with a protocol version's descriptors whose <see cref="RpcPlugin.Core.Descriptors.DescriptorPool.Services"/> lists only the
    /// provider service (<c>tfplugin5.proto</c> also defines <c>Provisioner</c>, which providers do not serve).
    /// Built once per process and shared (pools are immutable).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 5 or 6.</exception>
    public static DescriptorPool GetPool(int protocolVersion) =>
        Check(protocolVersion) == 5 ? Pool5.Value : Pool6.Value;

    /// <summary>The provider service's descriptor in a pool built from <see cref="Descriptors"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 5 or 6.</exception>
    /// <exception cref="InvalidOperationException">The pool lacks the service.</exception>
    public static ServiceDescriptor FindProviderService(DescriptorPool pool, int protocolVersion)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.FindService(ProviderService(protocolVersion))
            ?? throw new InvalidOperationException($"The descriptor pool has no {ProviderService(protocolVersion)}.");
    }

    /// <summary>Checks that a Terraform start offers only provider protocol versions (5 and 6).</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/>: another version is offered.</exception>
    internal static void CheckVersions(PluginStartInfo info)
    {
        if (info.Terraform && (info.ProtocolVersions.Count == 0 || info.ProtocolVersions.Any(v => !IsProviderProtocol(v))))
        {
            throw new PluginException(PluginErrorCode.InvalidArgument, $"A Terraform provider speaks protocol version 5 or 6, not {string.Join(", ", info.ProtocolVersions)}.")
            {
                RecommendedAction = $"Leave {HostTerms.Current.ProtocolVersion} out (5 and 6 are offered), or give 5 or 6.",
            };
        }
    }

    private static int Check(int protocolVersion) => IsProviderProtocol(protocolVersion)
        ? protocolVersion
        : throw new ArgumentOutOfRangeException(nameof(protocolVersion), protocolVersion, "Terraform provider protocols are 5 and 6.");

    private static DescriptorPool BuildPool(int version) =>
        DescriptorPool.Build(Descriptors(version), null, new[] { ProviderService(version) });

    private static IReadOnlyList<DescriptorFile> Load(int version)
    {
        string resource = $"RpcPlugin.Core.Terraform.tfplugin{version}.protoset";
        using Stream stream = typeof(TerraformProtocol).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The assembly lacks its resource {resource}: the build did not embed the Terraform descriptors.");
        string source = $"RpcPlugin (Terraform protocol {MinorVersion(version)})";
        return FileDescriptorSet.Parser.ParseFrom(stream).File
            .Select(file => new DescriptorFile(file, source, DescriptorSourceKind.BuiltIn))
            .ToList();
    }
}
