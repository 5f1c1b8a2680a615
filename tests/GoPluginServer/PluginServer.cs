using System;
using System.Threading;
using System.Threading.Tasks;

namespace RpcPlugin.GoPluginServer;

/// <summary>
/// Serves gRPC services as a HashiCorp go-plugin plugin: checks the magic cookie, negotiates the app protocol
/// version, listens on a unix socket or tcp (with the plugin's own TLS certificate if it has one, else AutoMTLS
/// when the host asks for it), prints the handshake line
/// and serves until the host calls <c>plugin.GRPCController/Shutdown</c> or sends SIGTERM.
/// </summary>
/// <example>
/// <code>
/// return await PluginServer.RunAsync(new PluginServerOptions
/// {
///     Name = "kv",
///     MagicCookieKey = "BASIC_PLUGIN",
///     MagicCookieValue = "hello",
///     MapServices = endpoints => endpoints.MapGrpcService&lt;KvService&gt;(),
/// });
/// </code>
/// </example>
public static class PluginServer
{
    /// <summary>
    /// Runs the plugin until it is stopped and returns the process exit code: 0 after a stop, 1 when the cookie
    /// is wrong or the server cannot start (both explained on stderr).
    /// </summary>
    /// <exception cref="ArgumentException">The TLS options are inconsistent (see <see cref="PluginServerOptions.ServerCertificate"/>).</exception>
    public static async Task<int> RunAsync(PluginServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ManualTls.Validate(options);
        if (options.Debug is null && !MagicCookie.IsPresent(options))
        {
            MagicCookie.WriteRejection();
            return 1;
        }

        var hooks = options.TestHooks;
        var log = new HclogLogger(options.Name, Console.OpenStandardError(), options.LogLevel);
        var version = ProtocolNegotiation.Choose(options.ProtocolVersions, Environment.GetEnvironmentVariable(ProtocolNegotiation.VersionsVariable), log);
        var stopper = new PluginStopper(log);
        using var signals = new PluginSignals(log, stopper, hooks.IgnoreSigterm);
        using var tls = (IServerTls?)ManualTls.Start(options, log) ?? AutoMtls.Start(log, hooks.PresentDifferentCertificate);

        if (hooks.BeforeServing is { } beforeServing && !await RunUntilStopped(beforeServing, stopper))
        {
            return 0;
        }

        using var listener = new PluginListener(options.Network);
        var runtime = new PluginRuntime(log, new PluginStdio(), new PluginServerInfo(options.Name, version, listener.NetworkName, tls is not null), stopper);
        await using var app = PluginWebHost.Build(options, listener, tls, runtime);
        string? certificate;
        try
        {
            await app.StartAsync();
            certificate = tls is null ? null : await tls.GetHandshakeFieldAsync();
        }
        catch (Exception e)
        {
            log.Error("plugin init error", ("error", e.Message));
            return 1;
        }

        // Kestrel is listening now; only from here may the host be told to connect.
        runtime.Info.Address = listener.Address ?? string.Empty;
        var line = HandshakeLine.Format(version, listener.NetworkName, runtime.Info.Address, certificate);
        if (options.Debug is { } debug)
        {
            debug(runtime.Info);
        }
        else if ((hooks.RewriteHandshake is null ? line : hooks.RewriteHandshake(line)) is { } text)
        {
            HandshakeLine.Print(text);
        }

        // go-plugin logs this before the handshake; after it, the first log line's set-up cost is off the start path.
        log.Debug("plugin address", ("network", listener.NetworkName), ("address", runtime.Info.Address));

        await stopper.Requested;
        try
        {
            await app.StopAsync();
        }
        catch (Exception e)
        {
            log.Warn("plugin did not stop cleanly", ("error", e.Message));
        }

        return 0;
    }

    // False when a stop was requested while the hook ran: the plugin then exits without serving.
    private static async Task<bool> RunUntilStopped(Func<CancellationToken, Task> hook, PluginStopper stopper)
    {
        try
        {
            await hook(stopper.Stopping);
        }
        catch (OperationCanceledException) when (stopper.Stopping.IsCancellationRequested)
        {
        }

        return !stopper.Stopping.IsCancellationRequested;
    }
}
