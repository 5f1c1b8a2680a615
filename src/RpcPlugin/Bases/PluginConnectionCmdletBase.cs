using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using RpcPlugin.Arguments;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;
using RpcPlugin.State;

namespace RpcPlugin.Bases;

/// <summary>
/// The parameters Start-RpcPlugin, Use-RpcPlugin and Connect-RpcPlugin share: the session's name, TLS, message
/// size and descriptor sources.
/// </summary>
public abstract class PluginConnectionCmdletBase : RpcPluginCmdlet
{
    /// <summary>The session's name; the executable's file name (Connect: the provider key or address) when not given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Refuse a plaintext connection.</summary>
    [Parameter]
    public SwitchParameter RequireTls { get; set; }

    /// <summary>PEM file of the CA that signed the plugin's certificate (else PLUGIN_CA_CERT).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateAuthority { get; set; }

    /// <summary>A certificate, with private key, to present to the plugin instead of the AutoMTLS one.</summary>
    [Parameter]
    [ValidateNotNull]
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>Largest message in either direction, in bytes (default: unlimited, like go-plugin).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? MaxMessageSize { get; set; }

    /// <summary>.proto files describing the plugin's services (parsed in-process; wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ProtoFile { get; set; }

    /// <summary>Directories that imports in -ProtoFile files are resolved against.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ImportPath { get; set; }

    /// <summary>FileDescriptorSet files (protoc --descriptor_set_out --include_imports, buf build -o).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? DescriptorSet { get; set; }

    /// <summary>Do not ask the plugin for descriptors by server reflection.</summary>
    [Parameter]
    public SwitchParameter NoReflection { get; set; }

    /// <summary>
    /// The plugin is a Terraform provider: Terraform's magic cookie and protocol versions 5 and 6 (Start, Use), the
    /// module's own tfplugin5/tfplugin6 descriptors instead of reflection, and DynamicValue fields as plain values
    /// by the provider's schema.
    /// </summary>
    [Parameter]
    public SwitchParameter Terraform { get; set; }

    /// <summary>
    /// Refuses a NUL character in any text parameter given (paths, addresses, names, the magic cookie, arguments):
    /// none of them can hold one, and the operating system would cut the text there or fail with a message about
    /// something else.
    /// </summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/> naming the parameter.</exception>
    protected void CheckTextParameters()
    {
        foreach ((string name, object? given) in MyInvocation.BoundParameters)
        {
            IEnumerable<string?> texts = (given is PSObject wrapped ? wrapped.BaseObject : given) switch
            {
                string text => new[] { text },
                string?[] list => list,
                _ => Array.Empty<string>(),
            };
            if (texts.Any(text => text is not null && text.Contains('\0', StringComparison.Ordinal)))
            {
                throw new PluginException(PluginErrorCode.InvalidArgument, $"-{name} contains a NUL character, which no path, address, name, argument or environment variable can hold.");
            }
        }
    }

    /// <summary>The TLS options: parameters first, then PLUGIN_CA_CERT and PLUGIN_CLIENT_VERIFY_SERVER.</summary>
    protected PluginTlsOptions BuildTls(ClientDefaults defaults) => new()
    {
        CertificateAuthorityPath = CertificateAuthority is null
            ? defaults.CertificateAuthorityPath
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificateAuthority),
        ClientCertificate = ClientCertificate,
        VerifyServer = defaults.VerifyServer,
        RequireTls = RequireTls,
    };

    /// <summary>The descriptor sources, paths resolved against the current location.</summary>
    protected DescriptorOptions BuildDescriptors() => new()
    {
        ProtoFiles = ResolveFiles(ProtoFile, ".proto file"),
        ImportPaths = (ImportPath ?? Array.Empty<string>()).Select(p => ExecutableResolver.ResolveDirectory(this, p)).ToArray(),
        DescriptorSets = ResolveFiles(DescriptorSet, "descriptor set"),
        UseReflection = !NoReflection,
    };

    private string[] ResolveFiles(string[]? paths, string what)
    {
        var files = new List<string>();
        foreach (string path in paths ?? Array.Empty<string>())
        {
            System.Collections.ObjectModel.Collection<string> resolved;
            ProviderInfo provider;
            try
            {
                resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
            }
            catch (ItemNotFoundException)
            {
                throw new PluginException(PluginErrorCode.DescriptorInvalid, $"Cannot find the {what} '{path}'.")
                {
                    RecommendedAction = "Check the path; relative paths are resolved against the current location.",
                };
            }

            // Get-ChildItem accepts a wildcard that matches nothing; here the user asked for descriptors, and
            // starting without them would only fail later, at the first call, with a less clear error.
            if (resolved.Count == 0 || provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                throw new PluginException(PluginErrorCode.DescriptorInvalid, resolved.Count == 0
                    ? $"The wildcard '{path}' matches no {what}."
                    : $"'{path}' is not a file system path ({provider.Name}); give the path of a {what}.")
                {
                    RecommendedAction = "Check the path and the pattern; relative paths are resolved against the current location.",
                };
            }

            foreach (string file in resolved)
            {
                if (System.IO.Directory.Exists(file))
                {
                    throw new PluginException(PluginErrorCode.DescriptorInvalid, $"'{file}' is a directory, not a {what}.")
                    {
                        RecommendedAction = $"Give the files, for example '{System.IO.Path.Combine(file, "*")}'.",
                    };
                }
            }

            files.AddRange(resolved);
        }

        return files.ToArray();
    }

    /// <summary>
    /// Runs a start or a connect, registers its session and tells the user about it (<paramref name="announce"/>).
    /// A start cancelled at any point leaves nothing behind: a session that arrives after Ctrl+C, or whose
    /// registration or announcement is cut short (Write* throws once the pipeline stops), is stopped.
    /// </summary>
    protected PluginSession OpenSession(Func<CancellationToken, Task<PluginSession>> open, Action<PluginSession> announce)
    {
        PluginSession session = Run(open, late => _ = late.StopAsync());
        try
        {
            if (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            SessionRegistry.Current.Add(session);
            announce(session);
            return session;
        }
        catch
        {
            SessionRegistry.Forget(session);
            session.StopAsync().GetAwaiter().GetResult(); // not cancellable: the plugin must not outlive its start
            throw;
        }
    }
}
