using Grpc.Net.Client;

namespace RpcPlugin.Core.Transport;

/// <summary>
/// The two channels of one connection to a plugin, sharing its HTTP/2 connections: <see cref="Internal"/> carries
/// what the module itself asks (reflection, health, the stdio stream, Shutdown, a provider's schema) with no size
/// limit, and <see cref="Calls"/> carries the user's calls with the user's <c>MaxMessageSize</c>. A limit chosen
/// for the user's messages must not make the session's own descriptors unreadable.
/// </summary>
internal sealed class PluginChannels : IDisposable
{
    public PluginChannels(GrpcChannel @internal, GrpcChannel calls)
    {
        Internal = @internal;
        Calls = calls;
    }

    /// <summary>For the module's own calls: no message size limit. Disposing it closes the connections.</summary>
    public GrpcChannel Internal { get; }

    /// <summary>For the user's calls, with their limit; the same channel as <see cref="Internal"/> when there is none.</summary>
    public GrpcChannel Calls { get; }

    public void Dispose()
    {
        if (!ReferenceEquals(Calls, Internal))
        {
            Calls.Dispose();
        }

        Internal.Dispose();
    }
}
