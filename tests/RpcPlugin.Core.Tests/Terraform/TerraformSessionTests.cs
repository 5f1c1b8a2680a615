using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Attach;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;
using RpcPlugin.Core.Terraform;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>
/// Terraform sessions through the core against the test provider (a real process): the built-in descriptors, the
/// schema fetched once and cached (the provider logs each schema request, so the tests count them), a failed fetch
/// retried, and attaching by address with the protocol version found by asking.
/// </summary>
public class TerraformSessionTests
{
    [Fact]
    public async Task A_terraform_session_uses_the_built_in_descriptors_and_fetches_the_schema_once_for_every_caller()
    {
        PluginSession session = await StartAsync(new[] { 5, 6 });
        int pid = session.ProcessId!.Value;
        try
        {
            Assert.NotNull(session.Terraform);
            Assert.Equal(6, session.Terraform!.ProtocolVersion);
            Assert.True(((IRpcPluginSessionSource)session).Terraform);
            DescriptorPool pool = await session.GetDescriptorsAsync();
            Assert.Same(TerraformProtocol.GetPool(6), pool);
            Assert.Equal(new[] { "tfplugin6.Provider" }, session.Services);
            Assert.False(session.Terraform.TryGetSchema(out _));

            // A caller that gives up ends its own wait, not the fetch the others share.
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.Terraform.GetSchemaAsync(cancelled.Token));
            Task<ProviderSchema> first = session.Terraform.GetSchemaAsync();
            Task<ProviderSchema> second = session.Terraform.GetSchemaAsync();
            ProviderSchema schema = await first;

            Assert.Same(schema, await second);
            Assert.Same(schema, await session.Terraform.GetSchemaAsync());
            Assert.True(session.Terraform.TryGetSchema(out ProviderSchema? cached));
            Assert.Same(schema, cached);
            Assert.Contains("rpcplugin_thing", schema.Resources.Keys);
            Assert.Equal(1, await SchemaRequestsAsync(session, 1));
        }
        finally
        {
            await session.StopAsync();
        }

        Assert.True(await TestPlugins.WaitGoneAsync(pid, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_schema_with_an_error_diagnostic_fails_the_fetch_with_it_and_the_next_caller_asks_again()
    {
        PluginSession session = await StartAsync(new[] { 5 }, new Dictionary<string, string?> { ["TF_TESTPROVIDER_SCHEMA_ERROR"] = "Credentials missing" });
        try
        {
            var first = await Assert.ThrowsAsync<TerraformDiagnosticException>(() => session.Terraform!.GetSchemaAsync());
            var again = await Assert.ThrowsAsync<TerraformDiagnosticException>(() => session.Terraform!.GetSchemaAsync());

            Assert.Equal(TerraformDiagnosticException.DiagnosticErrorId, first.ErrorId);
            Assert.Equal("Credentials missing", first.Summary);
            Assert.Equal("tfplugin5.Provider/GetSchema", first.Method);
            Assert.Contains("did not give its schema", first.Message);
            Assert.Contains("Credentials missing: TF_TESTPROVIDER_SCHEMA_ERROR is set.", first.Message);
            Assert.NotSame(first, again);
            Assert.Equal(2, await SchemaRequestsAsync(session, 2));
        }
        finally
        {
            await session.StopAsync();
        }
    }

    [Fact]
    public async Task A_schema_response_the_caller_fetched_is_kept()
    {
        PluginSession session = await StartAsync(new[] { 6 });
        try
        {
            MethodDescriptor method = TerraformProtocol.FindProviderService(TerraformProtocol.GetPool(6), 6).FindMethodByName("GetProviderSchema");
            var response = (DynamicMessage)await new DynamicCall(session, method).UnaryAsync(new DynamicMessage(method.InputType), DateTime.UtcNow.AddSeconds(30));

            session.Terraform!.Offer(response);

            Assert.True(session.Terraform.TryGetSchema(out ProviderSchema? offered));
            Assert.Same(offered, await session.Terraform.GetSchemaAsync());
            Assert.Equal(1, await SchemaRequestsAsync(session, 1)); // only the caller's own call
        }
        finally
        {
            await session.StopAsync();
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public async Task Attaching_to_a_provider_by_its_address_alone_finds_its_protocol_version(int version)
    {
        PluginSession owner = await StartAsync(new[] { version }, autoMtls: false);
        try
        {
            await using PluginSession attached = await PluginConnector.ConnectAsync(new PluginConnectInfo(owner.Endpoint) { Terraform = true, Timeout = TimeSpan.FromSeconds(30) });

            Assert.Equal(version, attached.ProtocolVersion);
            Assert.Equal(version, attached.Terraform!.ProtocolVersion);
            Assert.Equal(new[] { $"tfplugin{version}.Provider" }, (await attached.GetDescriptorsAsync()).Services.Select(s => s.FullName));
            Assert.Contains("rpcplugin_echo", (await attached.Terraform.GetSchemaAsync()).DataSources.Keys);
        }
        finally
        {
            await owner.StopAsync();
        }
    }

    [Fact]
    public async Task Attaching_to_a_plugin_that_is_no_provider_as_a_terraform_session_says_so()
    {
        await using PluginSession plugin = await TestPlugins.StartAsync(autoMtls: false);

        var error = await Assert.ThrowsAsync<PluginException>(() => PluginConnector.ConnectAsync(new PluginConnectInfo(plugin.Endpoint) { Terraform = true, Timeout = TimeSpan.FromSeconds(30) }));

        Assert.Equal(PluginErrorCode.ProtocolVersionMismatch, error.Code);
        Assert.Contains("neither tfplugin6.Provider nor tfplugin5.Provider", error.Message);
    }

    [Fact]
    public async Task A_terraform_start_offering_another_protocol_version_starts_nothing()
    {
        var info = new PluginStartInfo(TerraformProviderSession.ProviderPath) { Terraform = true, ProtocolVersions = new[] { 4, 6 } };

        var error = await Assert.ThrowsAsync<PluginException>(() => PluginLauncher.StartAsync(info));

        Assert.Equal(PluginErrorCode.InvalidArgument, error.Code);
        Assert.Contains("protocol version 5 or 6, not 4, 6", error.Message);
    }

    private static Task<PluginSession> StartAsync(int[] versions, Dictionary<string, string?>? environment = null, bool autoMtls = true) =>
        PluginLauncher.StartAsync(new PluginStartInfo(TerraformProviderSession.ProviderPath)
        {
            MagicCookieKey = TerraformProtocol.MagicCookieKey,
            MagicCookieValue = TerraformProtocol.MagicCookieValue,
            ProtocolVersions = versions,
            Environment = environment ?? new Dictionary<string, string?>(),
            AutoMtls = autoMtls,
            StartTimeout = TimeSpan.FromSeconds(30),
            MaxRetries = 0,
            Terraform = true,
        });

    /// <summary>How many schema requests the provider has logged, once at least <paramref name="expected"/> arrived (its log lines come on their own).</summary>
    private static async Task<int> SchemaRequestsAsync(PluginSession session, int expected)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        int count;
        while ((count = session.Log.Snapshot().Count(e => e.Message == "schema requested")) < expected && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        // Then a moment more, so that a request too many would show.
        await Task.Delay(200);
        return session.Log.Snapshot().Count(e => e.Message == "schema requested");
    }
}
