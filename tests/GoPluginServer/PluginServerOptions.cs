using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace RpcPlugin.GoPluginServer;

/// <summary>
/// What a plugin declares before it is served over go-plugin's protocol: the handshake it expects from its host,
/// the app protocol versions it speaks, and the gRPC services it offers.
/// </summary>
public sealed class PluginServerOptions
{
    /// <summary>The plugin's name; the <c>@module</c> of every log line it writes.</summary>
    public required string Name { get; init; }

    /// <summary>Environment variable the host must set (go-plugin's <c>MagicCookieKey</c>).</summary>
    public required string MagicCookieKey { get; init; }

    /// <summary>The value that variable must have (go-plugin's <c>MagicCookieValue</c>).</summary>
    public required string MagicCookieValue { get; init; }

    /// <summary>
    /// App protocol versions the plugin speaks. The highest one the host also offers in
    /// <c>PLUGIN_PROTOCOL_VERSIONS</c> is chosen; when none matches, the lowest is announced, as go-plugin does.
    /// </summary>
    public IReadOnlyList<int> ProtocolVersions { get; init; } = [1];

    /// <summary>Where to listen. go-plugin uses a unix socket except on Windows, where it uses tcp.</summary>
    public PluginNetwork Network { get; init; } = OperatingSystem.IsWindows() ? PluginNetwork.Tcp : PluginNetwork.Unix;

    /// <summary>Least severe level written to stderr; go-plugin's default logger writes everything.</summary>
    public HclogLevel LogLevel { get; init; } = HclogLevel.Trace;

    /// <summary>
    /// How long in-flight calls may run on once the server stops before their connections are cut. go-plugin
    /// stops its server abruptly; its host waits 2 s for the process to exit before it signals it.
    /// </summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A certificate, with its private key, to serve TLS with instead of go-plugin's AutoMTLS (go-plugin's
    /// <c>ServeConfig.TLSProvider</c>; pyvider-rpcplugin's <c>PLUGIN_SERVER_CERT</c> and <c>PLUGIN_SERVER_KEY</c>).
    /// When set, the server always speaks TLS 1.2+ with it, <c>PLUGIN_CLIENT_CERT</c> is ignored and the handshake
    /// line's certificate field stays empty: the host has to verify the server some other way, typically against
    /// the CA that signed it. The certificate is served as it is, expired or misnamed, so that a host's checks can
    /// be tested. Unset (the default): AutoMTLS when the host asks for it, else plaintext h2c.
    /// </summary>
    /// <remarks>The server does not dispose it. A certificate loaded from PEM is fine on every platform.</remarks>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>
    /// Intermediate CA certificates sent along with <see cref="ServerCertificate"/>, for a server certificate not
    /// signed by the host's CA directly. Needs <see cref="ServerCertificate"/>.
    /// </summary>
    public X509Certificate2Collection? ServerCertificateChain { get; init; }

    /// <summary>
    /// With <see cref="ServerCertificate"/>: the CA certificates a client certificate must chain to. Every client
    /// must then present one, valid now and, if it has an extended key usage, allowing clientAuth (Go's
    /// <c>tls.RequireAndVerifyClientCert</c>); revocation is not checked. Unset: no client certificate is asked for.
    /// </summary>
    public X509Certificate2Collection? ClientCertificateAuthority { get; init; }

    /// <summary>
    /// Whether to serve gRPC server reflection (v1 and v1alpha). go-plugin's own server does; Terraform providers
    /// do not, and a host must then bring its own descriptors.
    /// </summary>
    public bool ServeReflection { get; init; } = true;

    /// <summary>
    /// Serves in go-plugin's debug mode (<c>ServeTestConfig</c>, what terraform-plugin-go's <c>-debug</c> flag uses): the
    /// plugin is started by hand rather than by its host, so no magic cookie is needed and no handshake line is
    /// printed; once the server listens this is called with where, for the plugin to tell its user how to attach
    /// (a Terraform provider prints a <c>TF_REATTACH_PROVIDERS</c> value). Null (the default): a normal start.
    /// </summary>
    public Action<PluginServerInfo>? Debug { get; init; }

    /// <summary>Registers the plugin's own services (the server's hclog logger, stdio and info are already there).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Tunes gRPC (message size limits, interceptors).</summary>
    public Action<GrpcServiceOptions>? ConfigureGrpc { get; init; }

    /// <summary>Maps the plugin's gRPC services, e.g. <c>endpoints =&gt; endpoints.MapGrpcService&lt;KvService&gt;()</c>.</summary>
    public required Action<IEndpointRouteBuilder> MapServices { get; init; }

    /// <summary>Deliberate protocol violations, for testing clients only. Leave unset in a real plugin.</summary>
    public PluginTestHooks TestHooks { get; init; } = new();
}

/// <summary>The kind of listener a plugin announces in its handshake line.</summary>
public enum PluginNetwork
{
    /// <summary>A unix domain socket in <c>PLUGIN_UNIX_SOCKET_DIR</c> or the temp directory.</summary>
    Unix,

    /// <summary>127.0.0.1 on the first free port between <c>PLUGIN_MIN_PORT</c> and <c>PLUGIN_MAX_PORT</c>.</summary>
    Tcp,
}
