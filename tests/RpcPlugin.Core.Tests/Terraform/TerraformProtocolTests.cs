using System;
using System.Linq;
using System.Threading.Tasks;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Settings;
using RpcPlugin.Core.Terraform;

namespace RpcPlugin.Core.Tests.Terraform;

public class TerraformProtocolTests
{
    private static readonly string[] Calls =
    {
        "GetMetadata", "ReadDataSource", "PlanResourceChange", "ApplyResourceChange", "ReadResource", "ImportResourceState", "UpgradeResourceState",
        "MoveResourceState", "GetFunctions", "CallFunction", "OpenEphemeralResource", "GetResourceIdentitySchemas",
    };

    [Theory]
    [InlineData(6, "GetProviderSchema", "ValidateProviderConfig", "ConfigureProvider", "ValidateDataResourceConfig", "ValidateResourceConfig", "StopProvider")]
    [InlineData(5, "GetSchema", "PrepareProviderConfig", "Configure", "ValidateDataSourceConfig", "ValidateResourceTypeConfig", "Stop")]
    public void The_built_in_descriptors_have_every_call_of_the_protocol_under_its_own_names(int version, params string[] named)
    {
        DescriptorPool pool = TerraformProtocol.GetPool(version);

        var service = TerraformProtocol.FindProviderService(pool, version);

        Assert.Equal(new[] { $"tfplugin{version}.Provider" }, pool.Services.Select(s => s.FullName));
        string[] missing = named.Concat(Calls).Where(call => service.FindMethodByName(call) is null).ToArray();
        Assert.True(missing.Length == 0, "missing: " + string.Join(", ", missing));
        Assert.Equal("GetProviderSchema.Response", service.FindMethodByName(named[0]).OutputType.FullName[10..]);
        Assert.Equal($"RpcPlugin (Terraform protocol {version}.9)", pool.GetOrigin(service).Source);
        Assert.Contains("cty value", pool.GetComments(pool.FindMessage($"tfplugin{version}.DynamicValue")!));
    }

    [Fact]
    public void Only_protocol_6_has_nested_attributes_and_only_5_has_provisioners()
    {
        Assert.NotNull(TerraformProtocol.GetPool(6).FindMessage("tfplugin6.Schema.Object"));
        Assert.Null(TerraformProtocol.GetPool(5).FindMessage("tfplugin5.Schema.Object"));
        Assert.NotNull(TerraformProtocol.GetPool(5).FindService("tfplugin5.Provisioner"));
    }

    [Fact]
    public void Other_versions_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TerraformProtocol.Descriptors(4));
        Assert.False(TerraformProtocol.IsProviderProtocol(7));
        Assert.Equal(new[] { 5, 6 }, TerraformProtocol.ProtocolVersions);
    }

    [Fact]
    public async Task The_test_provider_serves_no_reflection_like_a_real_provider()
    {
        var info = new PluginStartInfo(TerraformProviderSession.ProviderPath)
        {
            MagicCookieKey = TerraformProtocol.MagicCookieKey,
            MagicCookieValue = TerraformProtocol.MagicCookieValue,
            ProtocolVersions = TerraformProtocol.ProtocolVersions,
            StartTimeout = TimeSpan.FromSeconds(30),
        };
        PluginSession session = await PluginLauncher.StartAsync(info);
        int pid = session.ProcessId!.Value;
        try
        {
            DescriptorPool pool = await session.GetDescriptorsAsync();

            Assert.Equal(6, session.ProtocolVersion);
            Assert.Null(pool.FindService("tfplugin6.Provider"));
        }
        finally
        {
            await session.StopAsync();
        }

        Assert.True(await TestPlugins.WaitGoneAsync(pid, TimeSpan.FromSeconds(10)));
    }
}
