using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Google.Protobuf.Reflection;
using Grpc.Core;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;
using RpcPlugin.Core.Terraform;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>
/// Drives the test provider (tests/TerraformProvider) through the core only: the session's call invoker, the
/// dynamic codec with the built-in tfplugin descriptors, and the cty codec for DynamicValue fields. Method names
/// are protocol 6's; protocol 5's are used on a protocol 5 session.
/// </summary>
internal sealed class TerraformProviderSession : IAsyncDisposable
{
    private static readonly Dictionary<string, string> Version5Names = new()
    {
        ["GetProviderSchema"] = "GetSchema",
        ["ValidateProviderConfig"] = "PrepareProviderConfig",
        ["ConfigureProvider"] = "Configure",
        ["ValidateDataResourceConfig"] = "ValidateDataSourceConfig",
        ["ValidateResourceConfig"] = "ValidateResourceTypeConfig",
        ["StopProvider"] = "Stop",
    };

    private readonly ServiceDescriptor service;

    private TerraformProviderSession(PluginSession session)
    {
        Session = session;
        Pool = TerraformProtocol.GetPool(session.ProtocolVersion);
        service = TerraformProtocol.FindProviderService(Pool, session.ProtocolVersion);
    }

    public PluginSession Session { get; }

    public DescriptorPool Pool { get; }

    public int Version => Session.ProtocolVersion;

    /// <summary>The provider's executable: RPCPLUGIN_TERRAFORMPROVIDER (set by build.ps1), else the build output next to the tests.</summary>
    public static string ProviderPath
    {
        get
        {
            if (Environment.GetEnvironmentVariable("RPCPLUGIN_TERRAFORMPROVIDER") is { Length: > 0 } configured && File.Exists(configured))
            {
                return configured;
            }

            string testPlugin = TestPluginLocator.Path;
            string candidate = Path.Combine(Path.GetDirectoryName(testPlugin)!.Replace("TestPlugin", "TerraformProvider", StringComparison.Ordinal), "TerraformProvider");
            return File.Exists(candidate) ? candidate : throw new InvalidOperationException("The test provider is not built: " + candidate);
        }
    }

    /// <summary>Starts the provider as Terraform does, offering <paramref name="versions"/>.</summary>
    public static async Task<TerraformProviderSession> StartAsync(params int[] versions)
    {
        var info = new PluginStartInfo(ProviderPath)
        {
            MagicCookieKey = TerraformProtocol.MagicCookieKey,
            MagicCookieValue = TerraformProtocol.MagicCookieValue,
            ProtocolVersions = versions,
            StartTimeout = TimeSpan.FromSeconds(30),
            MaxRetries = 0,
            Descriptors = new DescriptorOptions { UseReflection = false },
        };
        return new TerraformProviderSession(await PluginLauncher.StartAsync(info));
    }

    /// <summary>Calls a method with a request filled in by <paramref name="fill"/>.</summary>
    public async Task<DynamicMessage> CallAsync(string method, Action<DynamicMessage>? fill = null)
    {
        string name = Version == 5 && Version5Names.TryGetValue(method, out string? old) ? old : method;
        MethodDescriptor descriptor = service.FindMethodByName(name) ?? throw new InvalidOperationException($"{service.FullName} has no {name}");
        var request = new DynamicMessage(descriptor.InputType);
        fill?.Invoke(request);
        return await Session.CallInvoker.AsyncUnaryCall(DynamicMethods.For(descriptor), null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), request);
    }

    /// <summary>Sets a DynamicValue field to the msgpack of a block value.</summary>
    public static void SetValue(DynamicMessage message, string field, SchemaBlock block, object? value)
    {
        FieldDescriptor descriptor = message.Descriptor.FindFieldByName(field);
        var dynamicValue = new DynamicMessage(descriptor.MessageType);
        dynamicValue[descriptor.MessageType.FindFieldByName("msgpack")] = CtyCodec.Encode(block, value, RecordAdapter.Instance, field);
        message[descriptor] = dynamicValue;
    }

    /// <summary>Sets a scalar field.</summary>
    public static void Set(DynamicMessage message, string field, object value) => message[message.Descriptor.FindFieldByName(field)] = value;

    /// <summary>A message field of a response.</summary>
    public static DynamicMessage? Message(DynamicMessage message, string field) => message[message.Descriptor.FindFieldByName(field)] as DynamicMessage;

    /// <summary>Decodes a DynamicValue field of a response by a block's type (msgpack, or JSON if the provider sent that).</summary>
    public static object? Value(DynamicMessage message, string field, SchemaBlock block)
    {
        DynamicMessage? value = Message(message, field);
        Assert.NotNull(value);
        if (value![value.Descriptor.FindFieldByName("msgpack")] is byte[] { Length: > 0 } msgpack)
        {
            return CtyCodec.Decode(block.ImpliedType, msgpack, field);
        }

        return CtyCodec.DecodeJson(block.ImpliedType, (byte[])value[value.Descriptor.FindFieldByName("json")]!, field);
    }

    public ValueTask DisposeAsync() => new(Session.StopAsync());
}
