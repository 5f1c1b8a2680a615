using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Grpc.HealthCheck;
using Grpc.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>
/// Reflection servers the test plugin cannot imitate, hosted in the test on real sockets: one with only v1alpha
/// (older grpc-go plugins), one without reflection (pyvider), one listing a service it cannot describe.
/// </summary>
public class ReflectionFallbackTests
{
    [Fact]
    public async Task A_v1alpha_only_server_is_described_through_v1alpha()
    {
        await using var server = await ReflectionTestServer.StartAsync(
            services => services.AddSingleton(new ReflectionServiceImpl(Echo.Descriptor)),
            app => app.MapGrpcService<ReflectionServiceImpl>());

        var result = await FetchAsync(server);

        Assert.True(result.IsSupported);
        Assert.Equal(ServerReflectionClient.V1AlphaService, result.ServiceName);
        Assert.Contains("testplugin.Echo", result.Services);
        Assert.Empty(result.Errors);
        Assert.Equal(result.Files.Count, result.Files.Select(f => f.Name).Distinct().Count());
        var pool = DescriptorPool.Build(Array.Empty<DescriptorFile>(), result.Files);
        Assert.True(pool.FindService("testplugin.Echo")!.FindMethodByName("Bidi").IsServerStreaming);
        Assert.NotNull(pool.FindMessage("testplugin.AllTypes"));
    }

    [Fact]
    public async Task A_server_without_reflection_gives_an_empty_result_not_an_error()
    {
        await using var server = await ReflectionTestServer.StartAsync(
            services => services.AddSingleton(new HealthServiceImpl()),
            app => app.MapGrpcService<HealthServiceImpl>());

        var result = await FetchAsync(server);

        Assert.False(result.IsSupported);
        Assert.Null(result.ServiceName);
        Assert.Empty(result.Files);
        Assert.Empty(result.Services);
    }

    [Fact]
    public async Task A_listed_service_the_server_cannot_describe_is_an_error_line_and_the_rest_still_arrives()
    {
        var registry = SymbolRegistry.FromFiles(new[] { TestpluginReflection.Descriptor });
        await using var server = await ReflectionTestServer.StartAsync(
            services => services.AddSingleton(new ReflectionV1ServiceImpl(new[] { "ghost.Missing", "testplugin.Echo" }, registry)),
            app => app.MapGrpcService<ReflectionV1ServiceImpl>());

        var result = await FetchAsync(server);

        Assert.Equal(ServerReflectionClient.V1Service, result.ServiceName);
        Assert.Contains("ghost.Missing", Assert.Single(result.Errors));
        Assert.Contains(result.Files, f => f.Package == "testplugin");
        Assert.NotNull(DescriptorPool.Build(Array.Empty<DescriptorFile>(), result.Files).FindService("testplugin.Echo"));
    }

    [Fact]
    public async Task Cancelling_the_fetch_throws_OperationCanceledException()
    {
        await using var server = await ReflectionTestServer.StartAsync(
            services => services.AddSingleton(new ReflectionServiceImpl(Echo.Descriptor)),
            app => app.MapGrpcService<ReflectionServiceImpl>());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ServerReflectionClient.FetchAsync(server.CallInvoker, cancelled.Token));
    }

    private static async Task<ReflectionResult> FetchAsync(ReflectionTestServer server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await ServerReflectionClient.FetchAsync(server.CallInvoker, timeout.Token);
    }
}
