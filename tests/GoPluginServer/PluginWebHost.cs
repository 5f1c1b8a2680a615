using System;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RpcPlugin.GoPluginServer;

/// <summary>
/// Builds the smallest ASP.NET Core host that serves gRPC: an empty builder (no configuration files, no console
/// logging, no HTTPS defaults), Kestrel with HTTP/2 only, and go-plugin's internal services.
/// </summary>
internal static class PluginWebHost
{
    // go-plugin's health check asks for this service name (grpc_server.go GRPCServiceName).
    private const string HealthServiceName = "plugin";

    // As good as forever for a plugin's connection, and far from the overflow of TimeSpan.MaxValue.
    private static readonly TimeSpan IdleConnectionLifetime = TimeSpan.FromDays(365);

    public static WebApplication Build(PluginServerOptions options, PluginListener listener, IServerTls? tls, PluginRuntime runtime)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = options.Name });

        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = listener.Bind);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel caps request bodies at 30 MB; go-plugin has no limit, so neither does a plugin served here.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;

            // A go-plugin connection lives as long as the session and may idle for hours; grpc-go never drops it.
            // Not Timeout.InfiniteTimeSpan: Kestrel arms this timeout on a new HTTP/2 connection before reading its
            // preface, and "infinite" there fired at the next heartbeat (ASP.NET Core 10): a connection whose
            // preface was read a moment late (a loaded machine, a slow TLS handshake) got GOAWAY within a second.
            kestrel.Limits.KeepAliveTimeout = IdleConnectionLifetime;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 10_000;
            kestrel.Listen(listener.RequestedEndPoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                tls?.Apply(listen);
                if (options.TestHooks.DropConnection is { } drop)
                {
                    // After UseHttps: connection middleware runs in the order it is added, so TLS is done by then.
                    listen.Use(next => connection => drop() ? ConnectionDropper.SendAwayAsync(connection) : next(connection));
                }
            });
        });

        builder.Logging.AddProvider(new HclogLoggerProvider(runtime.Log));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var health = new HealthServiceImpl();
        health.SetStatus(string.Empty, HealthCheckResponse.Types.ServingStatus.Serving);
        health.SetStatus(HealthServiceName, HealthCheckResponse.Types.ServingStatus.Serving);

        var services = builder.Services;
        services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.StopGracePeriod);
        services.AddRoutingCore();
        services.AddGrpc(grpc =>
        {
            // go-plugin serves with no message size limit (math.MaxInt32 both ways); so does this server.
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
            options.ConfigureGrpc?.Invoke(grpc);
        });
        if (options.ServeReflection)
        {
            services.AddGrpcReflection();
        }

        services.AddSingleton(health);
        services.AddSingleton(runtime.Log);
        services.AddSingleton(runtime.Stdio);
        services.AddSingleton(runtime.Info);
        services.AddSingleton(runtime.Stopper);
        services.AddSingleton(options.TestHooks);
        options.ConfigureServices?.Invoke(services);

        var app = builder.Build();
        app.MapGrpcService<HealthServiceImpl>();
        if (options.ServeReflection)
        {
            app.MapGrpcReflectionService();
        }

        app.MapGrpcService<ControllerService>();
        app.MapGrpcService<StdioService>();
        options.MapServices(app);
        return app;
    }
}
