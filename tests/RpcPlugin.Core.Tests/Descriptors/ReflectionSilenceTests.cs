using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Sessions;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>
/// A reflection stream whose request never reaches the plugin (seen once in a 64-plugin benchmark: the client waited
/// for ever) must not hang descriptor loading. The test plugin's silent-reflection mode leaves the first streams
/// unanswered.
/// </summary>
public class ReflectionSilenceTests
{
    [Fact]
    public async Task A_reflection_stream_left_unanswered_is_given_up_and_retried_on_a_new_stream()
    {
        PluginSession session = await TestPlugins.StartAsync("silent-reflection:1");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var pool = await session.GetDescriptorsAsync(timeout.Token);

            Assert.NotNull(pool.FindService("testplugin.Echo"));
            Assert.Contains("testplugin.Echo", session.Services!);
            Assert.Contains(session.Log.Snapshot(), e => e.Message.Contains("leaving a reflection stream unanswered", StringComparison.Ordinal));
        }
        finally
        {
            await session.StopAsync();
        }

        Assert.True(await TestPlugins.WaitGoneAsync(session.ProcessId!.Value, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Reflection_left_unanswered_on_two_streams_fails_with_ConnectionFailed_not_a_hang()
    {
        // The background prefetch takes one of the first three streams and waits its default 10 s on it; the fetch
        // here gets the other two, both silent.
        PluginSession session = await TestPlugins.StartAsync("silent-reflection:3");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var failure = await Assert.ThrowsAsync<PluginException>(
                () => ServerReflectionClient.FetchAsync(session.CallInvoker, timeout.Token, TimeSpan.FromSeconds(1)));

            Assert.Equal(PluginErrorCode.ConnectionFailed, failure.Code);
            Assert.Contains("did not answer server reflection", failure.Message, StringComparison.Ordinal);
            Assert.Contains(HostTerms.Current.DescriptorSources, failure.Message, StringComparison.Ordinal);
            Assert.False(timeout.IsCancellationRequested);

            // The plugin itself is fine: the next stream is answered.
            var result = await ServerReflectionClient.FetchAsync(session.CallInvoker, timeout.Token, TimeSpan.FromSeconds(30));
            Assert.Contains("testplugin.Echo", result.Services);
        }
        finally
        {
            await session.StopAsync();
        }

        Assert.True(await TestPlugins.WaitGoneAsync(session.ProcessId!.Value, TimeSpan.FromSeconds(10)));
    }
}
