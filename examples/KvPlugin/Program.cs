// A go-plugin plugin in C#: the same KV service as go-plugin's own examples/grpc, served to any go-plugin host
// (Start-RpcPlugin, a Go host, Terraform-style tools) over a unix socket, with AutoMTLS when the host asks for it.
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RpcPlugin.Examples.Kv;
using RpcPlugin.GoPluginServer;

return await PluginServer.RunAsync(new PluginServerOptions
{
    Name = "kv",

    // The host proves it meant to start us by setting this variable (go-plugin's example handshake).
    MagicCookieKey = "BASIC_PLUGIN",
    MagicCookieValue = "hello",
    ProtocolVersions = [1],

    // One store for the plugin's lifetime: register the service as a singleton.
    ConfigureServices = services => services.AddSingleton<KvService>(),
    MapServices = endpoints => endpoints.MapGrpcService<KvService>(),
});
