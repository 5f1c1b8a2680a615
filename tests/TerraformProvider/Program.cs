// The RpcPlugin test Terraform provider: see README.md for its schema and behaviours.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RpcPlugin.GoPluginServer;
using RpcPlugin.TerraformProvider.Provider;
using RpcPlugin.TerraformProvider.Services;

return await PluginServer.RunAsync(new PluginServerOptions
{
    Name = "rpcplugin-provider",
    MagicCookieKey = "TF_PLUGIN_MAGIC_COOKIE",
    MagicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
    ProtocolVersions = [5, 6],
    // Like every Terraform provider: the host brings the tfplugin descriptors itself.
    ServeReflection = false,
    ConfigureServices = services => services.AddSingleton(provider => new ThingProvider(provider.GetRequiredService<PluginServerInfo>().ProtocolVersion)),
    MapServices = MapServices,
});

// As go-plugin's versioned plugin sets: only the negotiated protocol's service is served.
static void MapServices(IEndpointRouteBuilder endpoints)
{
    if (endpoints.ServiceProvider.GetRequiredService<PluginServerInfo>().ProtocolVersion == 6)
    {
        endpoints.MapGrpcService<Provider6Service>();
    }
    else
    {
        endpoints.MapGrpcService<Provider5Service>();
    }
}
