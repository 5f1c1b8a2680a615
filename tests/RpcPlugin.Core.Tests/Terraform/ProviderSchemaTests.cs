using System.Collections;
using System.Collections.Specialized;
using System.Linq;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Terraform;
using static RpcPlugin.Core.Tests.Terraform.CtyTestValues;
using static RpcPlugin.Core.Tests.Terraform.SchemaJson;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>The schema model read from GetProviderSchema responses, and block values of every nesting mode.</summary>
public class ProviderSchemaTests
{
    private static readonly string ThingJson = Schema(
        string.Join(",",
            Attribute("id", "\"string\"", "computed"),
            Attribute("name", "\"string\"", "required", ",\"description\":\"The name.\",\"description_kind\":\"MARKDOWN\""),
            Attribute("tags", """["map","string"]"""),
            Attribute("secret", "\"string\"", "optional,sensitive"),
            Attribute("any", "\"dynamic\""),
            Nested("settings", "SINGLE", "optional", Attribute("mode", "\"string\""), Attribute("level", "\"number\"", "computed")),
            Nested("ports", "LIST", "optional", Attribute("port", "\"number\"", "required"))),
        string.Join(",",
            Block("LIST", "rule", Attribute("port", "\"number\"", "required") + "," + Attribute("cidrs", """["list","string"]""")),
            Block("SINGLE", "limit", Attribute("max", "\"number\"")),
            Block("GROUP", "options", Attribute("enabled", "\"bool\"")),
            Block("MAP", "label", Attribute("text", "\"string\"")),
            Block("SET", "tag_set", Attribute("key", "\"string\""))),
        version: 2);

    private static readonly ProviderSchema Provider = ProviderSchema.FromResponse(Response(6, $$"""
        {
          "provider": {{Schema(Attribute("endpoint", "\"string\""))}},
          "provider_meta": {{Schema(Attribute("module_name", "\"string\""))}},
          "resource_schemas": { "example_thing": {{ThingJson}} },
          "data_source_schemas": { "example_dyn": {{Schema(Attribute("id", "\"string\"", "computed"), Block("LIST", "item", Attribute("value", "\"dynamic\"")) + "," + Block("MAP", "slot", Attribute("value", "\"dynamic\"")))}} },
          "diagnostics": [ { "severity": "WARNING", "summary": "old", "detail": "d", "attribute": { "steps": [ { "attribute_name": "rule" }, { "element_key_int": 0 }, { "element_key_string": "k" } ] } } ]
        }
        """));

    private static SchemaBlock Thing => Provider.GetResource("example_thing").Block;

    [Fact]
    public void The_schema_model_has_every_schema_with_attribute_flags_types_and_descriptions()
    {
        TerraformSchema thing = Provider.GetResource("example_thing");
        SchemaAttribute name = thing.Block.Attributes.Single(a => a.Name == "name");

        Assert.Equal(2, thing.Version);
        Assert.Equal("d", thing.Block.Description);
        Assert.Equal(new[] { "id", "name", "tags", "secret", "any", "settings", "ports" }, thing.Block.Attributes.Select(a => a.Name));
        Assert.True(name.Required && !name.Optional && !name.Computed);
        Assert.Equal("The name.", name.Description);
        Assert.True(name.DescriptionIsMarkdown);
        Assert.True(thing.Block.Attributes.Single(a => a.Name == "secret").Sensitive);
        Assert.True(thing.Block.Attributes.Single(a => a.Name == "id").Computed);
        Assert.Equal("endpoint", Provider.Provider.Block.Attributes.Single().Name);
        Assert.Equal("module_name", Provider.ProviderMeta!.Block.Attributes.Single().Name);
        Assert.Equal(new[] { "example_dyn" }, Provider.DataSources.Keys);
        Assert.Equal("Warning: old (at rule[0][\"k\"])", Provider.Diagnostics.Single().ToString());
    }

    [Fact]
    public void Attribute_types_read_as_terraform_writes_them_including_nested_attributes()
    {
        Assert.Equal(
            new[] { "string", "string", "map(string)", "string", "dynamic", "object({mode=optional(string), level=optional(number)})", "list(object({port=number}))" },
            Thing.Attributes.Select(a => a.TypeText));
        Assert.Equal(new[] { SchemaNesting.List, SchemaNesting.Single, SchemaNesting.Group, SchemaNesting.Map, SchemaNesting.Set }, Thing.BlockTypes.Select(b => b.Nesting));
        Assert.Equal(
            "object({id=string, name=string, tags=map(string), secret=string, any=dynamic, settings=object({mode=optional(string), level=optional(number)}), "
            + "ports=list(object({port=number})), rule=list(object({port=number, cidrs=list(string)})), limit=object({max=number}), options=object({enabled=bool}), "
            + "label=map(object({text=string})), tag_set=set(object({key=string}))})",
            Thing.ImpliedType.ToString());
    }

    [Fact]
    public void Blocks_not_given_are_empty_null_or_all_null_by_nesting_mode_and_attributes_null()
    {
        object? value = CtyCodec.Decode(Thing.ImpliedType, CtyCodec.Encode(Thing, new Hashtable { ["name"] = "n" }));

        AssertSame(
            Ordered(("id", null), ("name", "n"), ("tags", null), ("secret", null), ("any", null), ("settings", null), ("ports", null),
                ("rule", new object[0]), ("limit", null), ("options", Ordered(("enabled", null))), ("label", new OrderedDictionary()), ("tag_set", new object[0])),
            value);
    }

    [Fact]
    public void Every_nesting_mode_and_nested_attribute_round_trips()
    {
        var given = new Hashtable
        {
            ["id"] = TerraformUnknown.Value,
            ["name"] = "n",
            ["tags"] = new Hashtable { ["env"] = "prod" },
            ["any"] = new object[] { 1, "x" },
            ["settings"] = new Hashtable { ["mode"] = "fast" },
            ["ports"] = new[] { new Hashtable { ["port"] = 80 }, new Hashtable { ["port"] = 443 } },
            ["rule"] = new Hashtable { ["port"] = 22, ["cidrs"] = "10.0.0.0/8" },
            ["limit"] = new Hashtable { ["max"] = 5 },
            ["options"] = new Hashtable { ["enabled"] = true },
            ["label"] = new Hashtable { ["b"] = new Hashtable { ["text"] = "B" }, ["a"] = new Hashtable { ["text"] = "A" } },
            ["tag_set"] = new[] { new Hashtable { ["key"] = "k" } },
        };

        object? value = CtyCodec.Decode(Thing.ImpliedType, CtyCodec.Encode(Thing, given));

        AssertSame(
            Ordered(("id", TerraformUnknown.Value), ("name", "n"), ("tags", Ordered(("env", "prod"))), ("secret", null), ("any", new object[] { 1L, "x" }),
                ("settings", Ordered(("mode", "fast"), ("level", null))), ("ports", new object[] { Ordered(("port", 80L)), Ordered(("port", 443L)) }),
                ("rule", new object[] { Ordered(("port", 22L), ("cidrs", new object[] { "10.0.0.0/8" })) }), ("limit", Ordered(("max", 5L))),
                ("options", Ordered(("enabled", true))), ("label", Ordered(("a", Ordered(("text", "A"))), ("b", Ordered(("text", "B"))))),
                ("tag_set", new object[] { Ordered(("key", "k")) })),
            value);
    }

    [Fact]
    public void List_and_map_blocks_with_dynamic_attributes_travel_as_tuples_and_objects_as_terraform_sends_them()
    {
        SchemaBlock block = Provider.GetDataSource("example_dyn").Block;
        var given = new Hashtable
        {
            ["item"] = new[] { new Hashtable { ["value"] = "a" }, new Hashtable { ["value"] = 1 } },
            ["slot"] = new Hashtable { ["s"] = new Hashtable { ["value"] = true } },
        };

        byte[] bytes = CtyCodec.Encode(block, given);
        string text = System.Text.Encoding.UTF8.GetString(bytes);

        Assert.Equal(CtyKind.Dynamic, block.BlockTypes[0].ImpliedType.Kind);
        Assert.Contains("""["tuple",[["object",{"value":"string"}],["object",{"value":"number"}]]]""", text);
        Assert.Contains("""["object",{"s":["object",{"value":"bool"}]}]""", text);
        AssertSame(
            Ordered(("id", null), ("item", new object[] { Ordered(("value", "a")), Ordered(("value", 1L)) }), ("slot", Ordered(("s", Ordered(("value", true)))))),
            CtyCodec.Decode(block.ImpliedType, bytes));
    }

    [Fact]
    public void A_bad_attribute_inside_a_block_names_its_path()
    {
        var given = new Hashtable { ["rule"] = new[] { new Hashtable { ["port"] = 1 }, new Hashtable { ["prot"] = 2 } } };

        var error = Assert.Throws<PluginException>(() => CtyCodec.Encode(Thing, given, path: "config"));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
        Assert.Contains("'config.rule[1]'", error.Message);
        Assert.Contains("there is no attribute 'prot'; valid attributes: port, cidrs", error.Message);
    }

    [Fact]
    public void An_unknown_type_name_lists_the_providers_types()
    {
        var error = Assert.Throws<PluginException>(() => Provider.GetResource("example_thingy"));

        Assert.Equal(PluginErrorCode.InvalidRequest, error.Code);
        Assert.Contains("no resource type 'example_thingy'; valid names: example_thing", error.Message);
    }

    [Fact]
    public void Protocol_5_schemas_read_the_same_way()
    {
        var schema = ProviderSchema.FromResponse(Response(5, $$"""{ "resource_schemas": { "r": {{Schema(Attribute("a", """["set","number"]""", "optional,sensitive"), Block("GROUP", "g", Attribute("b", "\"bool\"")))}} } }"""));

        Assert.Equal("object({a=set(number), g=object({b=bool})})", schema.GetResource("r").ValueType.ToString());
        Assert.Empty(schema.Provider.Block.Attributes);
    }

    [Fact]
    public void An_attribute_with_an_unreadable_type_is_an_invalid_response_naming_it()
    {
        var error = Assert.Throws<PluginException>(() => ProviderSchema.FromResponse(Response(6, $$"""{ "resource_schemas": { "r": {{Schema(Attribute("a", "\"text\""))}} } }""")));

        Assert.Equal(PluginErrorCode.InvalidResponse, error.Code);
        Assert.Contains("resource 'r'", error.Message);
        Assert.Contains("attribute 'a'", error.Message);
    }
}
