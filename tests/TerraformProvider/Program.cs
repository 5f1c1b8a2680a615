// The RpcPlugin test Terraform provider: see README.md for its schema and behaviours.
using System;
using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RpcPlugin.GoPluginServer;
using RpcPlugin.TerraformProvider;
using RpcPlugin.TerraformProvider.Provider;
using RpcPlugin.TerraformProvider.Services;

// -debug [-protocol=5|6]: started by hand, as terraform-plugin-go's debug mode, printing TF_REATTACH_PROVIDERS.
bool debug = args.Any(a => a is "-debug" or "--debug");
int debugVersion = args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2 && p[0].TrimStart('-') == "protocol").Select(p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)).LastOrDefault(6);

return await PluginServer.RunAsync(new PluginServerOptions
{
    Name = "rpcplugin-provider",
    MagicCookieKey = "TF_PLUGIN_MAGIC_COOKIE",
    MagicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
    ProtocolVersions = debug ? [debugVersion] : [5, 6],
    // Like every Terraform provider: the host brings the tfplugin descriptors itself.
    ServeReflection = false,
    Debug = debug ? DebugMode.PrintReattach : null,
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
