using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Sessions;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>Server reflection against the real test plugin (which serves grpc.reflection v1 and v1alpha).</summary>
public class ReflectionTests
{
    [Fact]
    public async Task Reflection_lists_every_service_of_the_test_plugin_and_fetches_each_file_once()
    {
        var result = await FetchFromPluginAsync();

        Assert.True(result.IsSupported);
        Assert.Equal(ServerReflectionClient.V1Service, result.ServiceName);
        Assert.Empty(result.Errors);
        foreach (string service in new[] { "testplugin.Echo", "grpc.health.v1.Health", "plugin.GRPCController", "plugin.GRPCStdio" })
        {
            Assert.Contains(service, result.Services);
        }

        Assert.Equal(result.Files.Count, result.Files.Select(f => f.Name).Distinct().Count());
        Assert.Contains(result.Files, f => f.Name == "google/protobuf/timestamp.proto");
    }

    [Fact]
    public async Task The_pool_from_reflection_finds_AllTypes_the_Echo_methods_and_their_well_known_types()
    {
        var pool = DescriptorPool.Build(Array.Empty<DescriptorFile>(), (await FetchFromPluginAsync()).Files);

        Assert.Empty(pool.Warnings);
        var allTypes = pool.FindMessage("testplugin.AllTypes");
        Assert.NotNull(allTypes);
        Assert.Same(Timestamp.Descriptor, allTypes.FindFieldByName("w_timestamp").MessageType);
        Assert.Same(Any.Descriptor, allTypes.FindFieldByName("w_any").MessageType);
        Assert.Same(Int32Value.Descriptor, allTypes.FindFieldByName("w_int32").MessageType);
        Assert.Equal(FieldType.Enum, allTypes.FindFieldByName("f_enum").FieldType);
        Assert.True(allTypes.FindFieldByName("m_nested").IsMap);

        var echo = pool.FindService("testplugin.Echo");
        Assert.NotNull(echo);
        AssertStreaming(echo, "Unary", client: false, server: false);
        AssertStreaming(echo, "ServerStream", client: false, server: true);
        AssertStreaming(echo, "ClientStream", client: true, server: false);
        AssertStreaming(echo, "Bidi", client: true, server: true);
        Assert.Same(Empty.Descriptor, echo.FindMethodByName("Sleep").OutputType);
        Assert.Equal(DescriptorSourceKind.Reflection, pool.GetOrigin(echo).Kind);

        Assert.NotNull(pool.FindService("plugin.GRPCController"));
        Assert.NotNull(pool.FindService("plugin.GRPCStdio"));
        Assert.NotNull(pool.FindService("grpc.health.v1.Health"));
        Assert.Contains(pool.Services, s => s.FullName == "testplugin.Echo");
    }

    [Fact]
    public async Task Reflection_describes_the_same_messages_and_services_as_the_generated_code()
    {
        var result = await FetchFromPluginAsync();

        var reflected = Assert.Single(result.Files, f => f.Package == "testplugin");
        DescriptorAssert.SameDefinitions(TestpluginReflection.Descriptor.ToProto(), reflected);
    }

    [Fact]
    public async Task A_user_proto_wins_over_reflection_which_only_fills_in_what_it_lacks()
    {
        using var scratch = new ScratchFolder();
        string proto = scratch.Write("mine.proto", """
            syntax = "proto3";
            package testplugin;
            // My own, shorter EchoRequest.
            message EchoRequest { string message = 1; }
            """);
        var user = ProtoFileCompiler.Compile(new[] { proto }, Array.Empty<string>());

        var pool = DescriptorPool.Build(user, (await FetchFromPluginAsync()).Files);

        var request = pool.FindMessage("testplugin.EchoRequest")!;
        Assert.Single(request.Fields.InDeclarationOrder());
        Assert.Equal(proto, pool.GetOrigin(request).Source);
        Assert.Equal("My own, shorter EchoRequest.", pool.GetComments(request));
        var unary = pool.FindService("testplugin.Echo")!.FindMethodByName("Unary");
        Assert.Same(request, unary.InputType);
        Assert.NotNull(pool.FindMessage("testplugin.AllTypes"));
        Assert.Equal(DescriptorSourceKind.Reflection, pool.GetOrigin(unary.OutputType).Kind);
    }

    [Fact]
    public async Task The_parsed_proto_and_reflection_describe_the_same_messages_and_services()
    {
        var parsed = ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.TestPluginProto }, new[] { DescriptorTestFiles.Protos });
        var reflected = (await FetchFromPluginAsync()).Files;

        DescriptorAssert.SameDefinitions(
            Assert.Single(reflected, f => f.Package == "testplugin"),
            Assert.Single(parsed, f => f.Proto.Package == "testplugin").Proto);

        // Both together: the user's file (test/testplugin.proto) owns every testplugin symbol.
        var pool = DescriptorPool.Build(parsed, reflected);
        var echo = pool.FindService("testplugin.Echo")!;
        Assert.Equal("test/testplugin.proto", echo.File.Name);
        Assert.Equal(DescriptorTestFiles.TestPluginProto, pool.GetOrigin(echo).Source);
        Assert.NotNull(pool.FindService("plugin.GRPCController"));
    }

    private static void AssertStreaming(ServiceDescriptor service, string name, bool client, bool server)
    {
        var method = service.FindMethodByName(name);
        Assert.NotNull(method);
        Assert.Equal((client, server), (method.IsClientStreaming, method.IsServerStreaming));
    }

    private static async Task<ReflectionResult> FetchFromPluginAsync()
    {
        PluginSession session = await TestPlugins.StartAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await ServerReflectionClient.FetchAsync(session.CallInvoker, timeout.Token);
        }
        finally
        {
            await session.StopAsync();
        }
    }
}
