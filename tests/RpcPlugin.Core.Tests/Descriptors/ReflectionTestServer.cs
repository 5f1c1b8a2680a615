using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>
/// A real Kestrel gRPC server (h2c on a loopback port) for the reflection servers the test plugin cannot imitate:
/// v1alpha only, no reflection at all, a listed service it cannot describe.
/// </summary>
internal sealed class ReflectionTestServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly GrpcChannel channel;

    private ReflectionTestServer(WebApplication app, GrpcChannel channel)
    {
        this.app = app;
        this.channel = channel;
    }

    public CallInvoker CallInvoker => channel.CreateCallInvoker();

    public static async Task<ReflectionTestServer> StartAsync(Action<IServiceCollection> addServices, Action<WebApplication> mapServices)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        addServices(builder.Services);
        var app = builder.Build();
        mapServices(app);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ReflectionTestServer(app, GrpcChannel.ForAddress(address));
    }

    public async ValueTask DisposeAsync()
    {
        channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
