using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RpcPlugin.GoPluginServer;

/// <summary>How the listener speaks TLS: go-plugin's AutoMTLS, or a certificate the plugin was given.</summary>
internal interface IServerTls : IDisposable
{
    /// <summary>
    /// Waits until the credentials are ready (surfacing any failure to prepare them) and returns the handshake
    /// line's certificate field, or <see langword="null"/> when nothing is advertised there.
    /// </summary>
    Task<string?> GetHandshakeFieldAsync();

    /// <summary>Makes the Kestrel endpoint speak TLS with these credentials.</summary>
    void Apply(ListenOptions listen);
}
