// The go-plugin protocol test plugin: see README.md for its cookie, versions, modes and methods.
using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RpcPlugin.GoPluginServer;
using RpcPlugin.TestPlugin;

if (args.Contains(Grandchild.Argument))
{
    return Grandchild.Sleep(args);
}

TestPluginModes modes;
PluginNetwork network;
try
{
    modes = TestPluginModes.Parse(Environment.GetEnvironmentVariable(TestPluginModes.Variable));
    network = Environment.GetEnvironmentVariable("TESTPLUGIN_NETWORK")?.ToLowerInvariant() switch
    {
        null or "" or "unix" => PluginNetwork.Unix,
        "tcp" => PluginNetwork.Tcp,
        var other => throw new FormatException($"unknown TESTPLUGIN_NETWORK '{other}' (unix or tcp)"),
    };
}
catch (FormatException e)
{
    RawConsole.Write(RawConsole.Stderr, $"fatal: {e.Message}\n");
    return 64;
}

ServerTlsFiles? tls;
try
{
    tls = ServerTlsFiles.Load();
}
catch (InvalidDataException e)
{
    RawConsole.Write(RawConsole.Stderr, $"fatal: {e.Message}\n");
    return 1;
}

const string name = "testplugin";
var state = new TestPluginState(args, new CrashCounter(modes.CrashAfter));

return await PluginServer.RunAsync(new PluginServerOptions
{
    Name = name,
    MagicCookieKey = "PLUGIN_MAGIC_COOKIE",
    MagicCookieValue = "test_cookie_value",
    ProtocolVersions = [1, 2],
    Network = network,
    ServerCertificate = tls?.Certificate,
    ServerCertificateChain = tls?.Chain,
    ClientCertificateAuthority = tls?.ClientAuthority,
    ConfigureServices = ConfigureServices,
    MapServices = MapServices,
    TestHooks = new PluginTestHooks
    {
        BeforeServing = BeforeServing,
        RewriteHandshake = modes.FloodMegabytes > 0
            ? Flood.AfterHandshake(HandshakeMischief.For(modes), modes.FloodMegabytes, new HclogLogger(name, RawConsole.Stderr))
            : HandshakeMischief.For(modes),
        PresentDifferentCertificate = modes.WrongCert,
        OnShutdown = modes.IgnoreShutdown ? () => false : null,
        IgnoreSigterm = modes.IgnoreSigterm,
        DropConnection = modes.DropFirstConnectionMarker is { } marker ? FirstConnectionDropper.Create(marker) : null,
    },
});

void ConfigureServices(IServiceCollection services)
{
    services.AddSingleton(state);
    var grpc = services.AddGrpc();
    if (modes.SilentReflectionStreams > 0)
    {
        services.AddSingleton(new SilentReflection(modes.SilentReflectionStreams, new HclogLogger(name, RawConsole.Stderr)));
        services.Configure<GrpcServiceOptions>(options => options.Interceptors.Add<SilentReflection>());
    }

    grpc.AddServiceOptions<EchoService>(echo => echo.Interceptors.Add<MetadataEcho>());
    if (modes.BadResponse)
    {
        services.AddSingleton<IServiceMethodProvider<BadResponseEcho>, BadResponseMethodProvider>();
        grpc.AddServiceOptions<BadResponseEcho>(echo => echo.Interceptors.Add<MetadataEcho>());
    }
}

void MapServices(IEndpointRouteBuilder endpoints)
{
    endpoints.MapGrpcService<EchoService>();
    endpoints.MapGrpcService<MirrorService>();
    if (modes.BadResponse)
    {
        // After Echo (which then owns the service's unimplemented-method route); Order -1 wins over Echo's Unary.
        endpoints.MapGrpcService<BadResponseEcho>().Add(endpoint => ((RouteEndpointBuilder)endpoint).Order = -1);
    }
}

async Task BeforeServing(CancellationToken token)
{
    if (modes.SpawnChild)
    {
        state.GrandchildPid = Grandchild.Start(modes.GrandchildEscape);
        new HclogLogger(name, RawConsole.Stderr).Info("started a grandchild process", ("grandchild_pid", state.GrandchildPid));
    }

    if (modes.ExitEarly)
    {
        RawConsole.Write(RawConsole.Stderr, "fatal: exit-early mode: the plugin failed to initialise\n");
        Environment.Exit(3);
    }

    if (modes.SlowStartMs > 0)
    {
        await Task.Delay(modes.SlowStartMs, token);
    }
}
