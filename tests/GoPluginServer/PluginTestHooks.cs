using System;
using System.Threading;
using System.Threading.Tasks;

namespace RpcPlugin.GoPluginServer;

/// <summary>
/// Ways to make the server break go-plugin's protocol on purpose, <b>for testing clients</b>: a test plugin sets
/// them to check that a host notices a bad handshake, a wrong certificate or a plugin that will not stop.
/// A real plugin leaves every hook unset.
/// </summary>
public sealed class PluginTestHooks
{
    /// <summary>
    /// Runs after the cookie and version checks and before the listener is bound (a slow start, an early exit).
    /// Its token is cancelled when the plugin is asked to stop meanwhile.
    /// </summary>
    public Func<CancellationToken, Task>? BeforeServing { get; init; }

    /// <summary>
    /// Receives the correct handshake line (no newline) and returns the text to print instead; it may hold
    /// several lines. Returning <see langword="null"/> prints nothing at all.
    /// </summary>
    public Func<string, string?>? RewriteHandshake { get; init; }

    /// <summary>
    /// With AutoMTLS, advertise one certificate in the handshake line but present another in the TLS handshake.
    /// No effect with <see cref="PluginServerOptions.ServerCertificate"/>, which advertises nothing.
    /// </summary>
    public bool PresentDifferentCertificate { get; init; }

    /// <summary>
    /// Decides what <c>plugin.GRPCController/Shutdown</c> does after replying: <see langword="true"/> stops the
    /// server (the default), <see langword="false"/> keeps running.
    /// </summary>
    public Func<bool>? OnShutdown { get; init; }

    /// <summary>Log SIGTERM and keep running instead of stopping.</summary>
    public bool IgnoreSigterm { get; init; }

    /// <summary>
    /// Asked for each new connection once its TLS handshake (if any) is done: <see langword="true"/> answers it
    /// with HTTP/2 GOAWAY (NO_ERROR) instead of SETTINGS and closes it, as a server going away would.
    /// </summary>
    public Func<bool>? DropConnection { get; init; }
}
