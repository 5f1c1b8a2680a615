using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading.Tasks;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Sessions;
using Xunit;

namespace RpcPlugin.Core.Tests.Invocation;

/// <summary>
/// A test plugin started for each test, its descriptors loaded and a request builder over them; the plugin is
/// stopped afterwards and must be gone. The base of the tests that make real calls without PowerShell.
/// </summary>
public abstract class LiveCallFixture : IAsyncLifetime
{
    protected PluginSession Session { get; private set; } = null!;

    protected DescriptorPool Pool { get; private set; } = null!;

    protected MessageBuilder Builder { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Session = await TestPlugins.StartAsync();
        Pool = await Session.GetDescriptorsAsync();
        Builder = new MessageBuilder(PlainValueAdapter.Instance, Pool.TypeResolver);
    }

    public async Task DisposeAsync()
    {
        int pid = Session.ProcessId!.Value;
        await Session.StopAsync();
        Assert.True(await TestPlugins.WaitGoneAsync(pid, TimeSpan.FromSeconds(10)));
    }

    /// <summary>An echo request (its <c>message</c> field set) for <paramref name="call"/>'s method.</summary>
    protected DynamicMessage Request(DynamicCall call, string message) =>
        Builder.Build(call.Method.InputType, new Hashtable { ["message"] = message });

    /// <summary>The messages as a request stream that yields between items, as a pipeline would.</summary>
    protected static async IAsyncEnumerable<DynamicMessage> Source(params DynamicMessage[] messages)
    {
        foreach (DynamicMessage message in messages)
        {
            await Task.Yield();
            yield return message;
        }
    }
}
