using System.Collections;
using System.Collections.Specialized;
using System.Linq;
using System.Threading.Tasks;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Terraform;
using static RpcPlugin.Core.Tests.Terraform.CtyTestValues;
using static RpcPlugin.Core.Tests.Terraform.TerraformProviderSession;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>
/// The test provider (a real process, no reflection) driven end to end through the core on protocols 5 and 6:
/// schema, configuration, a data source, and a resource planned, applied, read, imported, upgraded and destroyed.
/// </summary>
public class TerraformProviderTests
{
    private const string Thing = "rpcplugin_thing";
    private const string Echo = "rpcplugin_echo";

    [Theory]
    [InlineData(6, new[] { 5, 6 })]
    [InlineData(5, new[] { 5 })]
    public async Task A_provider_is_configured_read_planned_applied_read_imported_and_stopped(int version, int[] offered)
    {
        TerraformProviderSession provider = await StartAsync(offered);
        int pid = provider.Session.ProcessId!.Value;
        try
        {
            Assert.Equal(version, provider.Version);
            Assert.True((await PluginHealth.CheckAsync(provider.Session, null, System.TimeSpan.FromSeconds(10))).Healthy);
            ProviderSchema schema = ProviderSchema.FromResponse(await provider.CallAsync("GetProviderSchema"));
            await ConfigureAsync(provider, schema);
            await ReadDataSourceAsync(provider, schema);
            await ManageResourceAsync(provider, schema);
            DynamicMessage stopped = await provider.CallAsync("StopProvider");
            Assert.Equal(string.Empty, stopped[stopped.Descriptor.FindFieldByName("Error")] ?? string.Empty);
        }
        finally
        {
            await provider.DisposeAsync();
        }

        Assert.Equal(RpcPluginSessionState.Exited, provider.Session.State);
        Assert.True(await TestPlugins.WaitGoneAsync(pid, System.TimeSpan.FromSeconds(10)), "the provider process is still running");
    }

    [Fact]
    public async Task The_schema_shows_types_flags_and_v6_nested_attributes_and_metadata_lists_the_types()
    {
        await using TerraformProviderSession provider = await StartAsync(5, 6);

        ProviderSchema schema = ProviderSchema.FromResponse(await provider.CallAsync("GetProviderSchema"));
        DynamicMessage metadata = await provider.CallAsync("GetMetadata");

        SchemaBlock thing = schema.GetResource(Thing).Block;
        Assert.Equal(1, schema.GetResource(Thing).Version);
        Assert.Equal("map(string)", thing.Attributes.Single(a => a.Name == "tags").TypeText);
        Assert.Equal("list(object({port=number, protocol=optional(string)}))", thing.Attributes.Single(a => a.Name == "ports").TypeText);
        Assert.Equal(SchemaNesting.Map, thing.Attributes.Single(a => a.Name == "endpoints").NestedType!.Nesting);
        Assert.True(thing.Attributes.Single(a => a.Name == "password").Sensitive);
        Assert.True(thing.Attributes.Single(a => a.Name == "serial").Computed);
        Assert.Equal(new[] { "rule", "limit", "options", "label", "tag_set" }, thing.BlockTypes.Select(b => b.TypeName));
        Assert.Equal("tuple([string, number, bool])", schema.GetDataSource(Echo).Block.Attributes.Single(a => a.Name == "tuple").TypeText);
        Assert.Equal("The RpcPlugin test provider.", schema.Provider.Block.Description);
        Assert.Contains(Thing, ProtoJson.Format(metadata));
    }

    private static async Task ConfigureAsync(TerraformProviderSession provider, ProviderSchema schema)
    {
        SchemaBlock config = schema.Provider.Block;
        DynamicMessage invalid = await provider.CallAsync("ValidateProviderConfig", r => SetValue(r, "config", config, new Hashtable { ["retries"] = -1 }));
        Assert.Equal("Error: retries cannot be negative (at retries)", TerraformDiagnostic.ReadAll(invalid).Single().ToString());

        DynamicMessage refused = await provider.CallAsync("ConfigureProvider", r => SetValue(r, "config", config, new Hashtable { ["fail_configure"] = true }));
        Assert.Equal("fail_configure", TerraformDiagnostic.ReadAll(refused).Single().Attribute);

        var settings = new Record(("endpoint", "https://api.example.test"), ("token", "secret"), ("retries", 3), ("features", new Hashtable { ["beta"] = true }));
        Assert.Empty(TerraformDiagnostic.ReadAll(await provider.CallAsync("ValidateProviderConfig", r => SetValue(r, "config", config, settings))));
        Assert.Empty(TerraformDiagnostic.ReadAll(await provider.CallAsync("ConfigureProvider", r =>
        {
            Set(r, "terraform_version", "1.9.0");
            SetValue(r, "config", config, settings);
        })));
    }

    private static async Task ReadDataSourceAsync(TerraformProviderSession provider, ProviderSchema schema)
    {
        SchemaBlock echo = schema.GetDataSource(Echo).Block;
        DynamicMessage bad = await provider.CallAsync("ValidateDataResourceConfig", r =>
        {
            Set(r, "type_name", Echo);
            SetValue(r, "config", echo, new Hashtable { ["text"] = "bad" });
        });
        Assert.Equal("text", TerraformDiagnostic.ReadAll(bad).Single().Attribute);

        var config = new Hashtable
        {
            ["input"] = new Hashtable { ["a"] = 1, ["b"] = new[] { "x", "y" } },
            ["text"] = "t",
            ["number"] = 0.5,
            ["flag"] = true,
            ["list"] = new[] { "a", "b" },
            ["set"] = new[] { 1, 2 },
            ["map"] = new Hashtable { ["k"] = "v" },
            ["object"] = new Hashtable { ["a"] = 1, ["b"] = "s" },
            ["tuple"] = new object[] { "s", 2, true },
            ["warn"] = "careful",
            ["item"] = new[] { new Hashtable { ["key"] = "k1", ["value"] = "v1" } },
        };
        DynamicMessage read = await provider.CallAsync("ReadDataSource", r =>
        {
            Set(r, "type_name", Echo);
            SetValue(r, "config", echo, config);
            SetValue(r, "provider_meta", schema.ProviderMeta!.Block, new Hashtable { ["module_name"] = "mod" });
        });

        var state = (OrderedDictionary)Value(read, "state", echo)!;
        AssertSame(Ordered(("a", 1L), ("b", new object[] { "x", "y" })), state["output"]);
        AssertSame(Ordered(("a", 1L), ("b", "s")), state["object"]);
        AssertSame(new object[] { "s", 2L, true }, state["tuple"]);
        AssertSame(new object[] { Ordered(("key", "k1"), ("value", "v1")) }, state["item"]);
        Assert.Equal(0.5, state["number"]);
        Assert.Equal(("echo", "https://api.example.test", "mod"), (state["id"], state["endpoint"], state["module_name"]));
        TerraformDiagnostic warning = TerraformDiagnostic.ReadAll(read).Single();
        Assert.Equal((TerraformDiagnosticSeverity.Warning, "careful", "warn"), (warning.Severity, warning.Summary, warning.Attribute));
    }

    private static async Task ManageResourceAsync(TerraformProviderSession provider, ProviderSchema schema)
    {
        SchemaBlock thing = schema.GetResource(Thing).Block;
        DynamicMessage invalid = await provider.CallAsync("ValidateResourceConfig", r =>
        {
            Set(r, "type_name", Thing);
            SetValue(r, "config", thing, new Hashtable { ["name"] = "n", ["rule"] = new[] { new Hashtable { ["port"] = 70000 } }, ["tags"] = new Hashtable { ["forbidden"] = "x" } });
        });
        Assert.Equal(new[] { "rule[0].port", "tags[\"forbidden\"]" }, TerraformDiagnostic.ReadAll(invalid).Select(d => d.Attribute));

        Hashtable config = ThingConfig(provider.Version, "n1");
        DynamicMessage plan = await ResourceCallAsync(provider, "PlanResourceChange", thing, ("prior_state", null), ("proposed_new_state", config), ("config", config));
        var planned = (OrderedDictionary)Value(plan, "planned_state", thing)!;
        Assert.Same(TerraformUnknown.Value, planned["id"]);
        Assert.Same(TerraformUnknown.Value, planned["serial"]);
        Assert.Equal("n1", planned["name"]);
        AssertSame(Ordered(("enabled", null)), planned["options"]);
        if (provider.Version == 6)
        {
            AssertSame(Ordered(("mode", "fast"), ("level", TerraformUnknown.Value)), planned["settings"]);
        }

        DynamicMessage apply = await ResourceCallAsync(provider, "ApplyResourceChange", thing, ("prior_state", null), ("planned_state", planned), ("config", config));
        var state = (OrderedDictionary)Value(apply, "new_state", thing)!;
        Assert.Equal(("thing-n1", 1L, "2024-01-02T03:04:05Z"), (state["id"], state["serial"], state["created"]));
        AssertSame(Ordered(("env", "prod")), state["tags"]);
        AssertSame(new object[] { Ordered(("port", 22L), ("cidrs", new object[] { "10.0.0.0/8" })) }, state["rule"]);
        AssertSame(Ordered(("web", Ordered(("text", "W")))), state["label"]);
        AssertSame(Ordered(("x", 1L)), state["data"]);
        if (provider.Version == 6)
        {
            AssertSame(Ordered(("mode", "fast"), ("level", 1L)), state["settings"]);
            AssertSame(Ordered(("main", Ordered(("url", "https://x.test")))), state["endpoints"]);
        }

        byte[] applied = CtyCodec.Encode(thing, state);
        DynamicMessage read = await ResourceCallAsync(provider, "ReadResource", thing, ("current_state", state));
        Assert.Equal(Hex(applied), Hex(CtyCodec.Encode(thing, Value(read, "new_state", thing))));

        await ImportAndUpgradeAsync(provider, thing, applied);
        await ReplaceAndDestroyAsync(provider, thing, state);
    }

    private static async Task ImportAndUpgradeAsync(TerraformProviderSession provider, SchemaBlock thing, byte[] applied)
    {
        DynamicMessage imported = await provider.CallAsync("ImportResourceState", r =>
        {
            Set(r, "type_name", Thing);
            Set(r, "id", "thing-n1");
        });
        var resource = ((System.Collections.IList)imported[imported.Descriptor.FindFieldByName("imported_resources")]!).Cast<DynamicMessage>().Single();
        Assert.Equal(Hex(applied), Hex(CtyCodec.Encode(thing, Value(resource, "state", thing))));

        DynamicMessage fresh = await provider.CallAsync("ImportResourceState", r =>
        {
            Set(r, "type_name", Thing);
            Set(r, "id", "import-n2");
        });
        var freshState = (OrderedDictionary)Value(((System.Collections.IList)fresh[fresh.Descriptor.FindFieldByName("imported_resources")]!).Cast<DynamicMessage>().Single(), "state", thing)!;
        Assert.Equal(("thing-n2", "n2"), (freshState["id"], freshState["name"]));

        DynamicMessage missing = await provider.CallAsync("ImportResourceState", r =>
        {
            Set(r, "type_name", Thing);
            Set(r, "id", "nope");
        });
        Assert.Equal("Cannot import", TerraformDiagnostic.ReadAll(missing).Single().Summary);

        DynamicMessage upgraded = await provider.CallAsync("UpgradeResourceState", r =>
        {
            Set(r, "type_name", Thing);
            Set(r, "version", 0L);
            DynamicMessage raw = new(r.Descriptor.FindFieldByName("raw_state").MessageType);
            Set(raw, "json", System.Text.Encoding.UTF8.GetBytes("""{"id":"thing-old","title":"old","size":1.25,"tags":{"a":"b"}}"""));
            Set(r, "raw_state", raw);
        });
        var upgradedState = (OrderedDictionary)Value(upgraded, "upgraded_state", thing)!;
        Assert.Equal(("thing-old", "old", 1.25), (upgradedState["id"], upgradedState["name"], upgradedState["size"]));
    }

    private static async Task ReplaceAndDestroyAsync(TerraformProviderSession provider, SchemaBlock thing, OrderedDictionary state)
    {
        Hashtable renamed = ThingConfig(provider.Version, "warn");
        DynamicMessage plan = await ResourceCallAsync(provider, "PlanResourceChange", thing, ("prior_state", state), ("proposed_new_state", renamed), ("config", renamed));
        var replace = ((System.Collections.IList)plan[plan.Descriptor.FindFieldByName("requires_replace")]!).Cast<DynamicMessage>().Select(TerraformDiagnostic.FormatPath);
        Assert.Equal(new[] { "name" }, replace);
        Assert.Equal((TerraformDiagnosticSeverity.Warning, "name"), TerraformDiagnostic.ReadAll(plan).Select(d => (d.Severity, d.Attribute)).Single());

        DynamicMessage destroyPlan = await ResourceCallAsync(provider, "PlanResourceChange", thing, ("prior_state", state), ("proposed_new_state", null), ("config", null));
        Assert.Null(Value(destroyPlan, "planned_state", thing));
        DynamicMessage destroyed = await ResourceCallAsync(provider, "ApplyResourceChange", thing, ("prior_state", state), ("planned_state", null), ("config", null));
        Assert.Null(Value(destroyed, "new_state", thing));
        Assert.Null(Value(await ResourceCallAsync(provider, "ReadResource", thing, ("current_state", state)), "new_state", thing));
    }

    private static Task<DynamicMessage> ResourceCallAsync(TerraformProviderSession provider, string method, SchemaBlock thing, params (string Field, object? Value)[] values) =>
        provider.CallAsync(method, r =>
        {
            Set(r, "type_name", Thing);
            foreach (var (field, value) in values)
            {
                SetValue(r, field, thing, value);
            }
        });

    private static Hashtable ThingConfig(int version, string name)
    {
        var config = new Hashtable
        {
            ["name"] = name,
            ["size"] = 3,
            ["tags"] = new Hashtable { ["env"] = "prod" },
            ["labels"] = new[] { "a" },
            ["password"] = "pw",
            ["data"] = new Hashtable { ["x"] = 1 },
            ["rule"] = new[] { new Hashtable { ["port"] = 22, ["cidrs"] = new[] { "10.0.0.0/8" } } },
            ["limit"] = new Hashtable { ["max"] = 5 },
            ["label"] = new Hashtable { ["web"] = new Hashtable { ["text"] = "W" } },
            ["tag_set"] = new[] { new Hashtable { ["key"] = "k" } },
        };
        if (version == 6)
        {
            config["settings"] = new Hashtable { ["mode"] = "fast" };
            config["ports"] = new[] { new Hashtable { ["port"] = 80 } };
            config["endpoints"] = new Hashtable { ["main"] = new Hashtable { ["url"] = "https://x.test" } };
            config["zones"] = new[] { new Hashtable { ["name"] = "z1" } };
        }

        return config;
    }
}
