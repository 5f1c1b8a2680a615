using System.Collections;
using System.Collections.Specialized;
using System.Linq;
using System.Text;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Terraform;
using static RpcPlugin.Core.Tests.Terraform.CtyTestValues;
using static RpcPlugin.Core.Tests.Terraform.SchemaJson;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>
/// DynamicValue fields of requests and responses by the provider's schema: which schema each field is encoded by,
/// values not given, the byte[] escape hatch, what an unknown type name says, and schema types as text.
/// </summary>
public class TerraformValueConverterTests
{
    private static readonly string Thing = Schema(
        string.Join(",", Attribute("id", "\"string\"", "computed"), Attribute("name", "\"string\"", "required"), Attribute("size", "\"number\""),
            Attribute("tags", """["map","string"]"""), Nested("ports", "LIST", "optional", Attribute("port", "\"number\"", "required"))),
        Block("LIST", "rule", Attribute("port", "\"number\"", "required")));

    private static readonly ProviderSchema WithMeta = ProviderSchema.FromResponse(Response(6, $$"""
        {
          "provider": {{Schema(Attribute("endpoint", "\"string\""))}},
          "provider_meta": {{Schema(Attribute("module_name", "\"string\""))}},
          "resource_schemas": { "example_thing": {{Thing}} },
          "data_source_schemas": { "example_echo": {{Schema(Attribute("text", "\"string\""))}} }
        }
        """));

    private static readonly ProviderSchema WithoutMeta = ProviderSchema.FromResponse(Response(6, $$"""{ "resource_schemas": { "example_thing": {{Thing}} } }"""));

    [Theory]
    [InlineData(6, "GetProviderSchema", false)]
    [InlineData(6, "GetMetadata", false)]
    [InlineData(6, "StopProvider", false)]
    [InlineData(6, "CallFunction", false)]
    [InlineData(6, "ConfigureProvider", true)]
    [InlineData(6, "PlanResourceChange", true)]
    [InlineData(6, "ImportResourceState", true)]
    [InlineData(5, "GetSchema", false)]
    [InlineData(5, "PrepareProviderConfig", true)]
    [InlineData(5, "ReadDataSource", true)]
    public void Only_methods_with_values_of_a_modelled_schema_need_the_schema(int version, string method, bool needs)
    {
        Assert.Equal(needs, TerraformValueConverter.NeedsSchema(Method(version, method)));
    }

    [Fact]
    public void A_request_is_encoded_by_the_schema_its_type_name_picks_whatever_order_the_fields_come_in()
    {
        MethodDescriptor plan = Method(6, "PlanResourceChange");
        var given = new OrderedDictionary
        {
            ["config"] = new Hashtable { ["name"] = "web", ["rule"] = new[] { new Hashtable { ["port"] = 22 } } },
            ["type_name"] = "example_thing",
            ["proposed_new_state"] = new Record(("name", "web"), ("size", 1.5)),
        };

        DynamicMessage request = Build(plan, WithMeta, given);

        SchemaBlock block = WithMeta.GetResource("example_thing").Block;
        Assert.Equal(CtyCodec.Encode(block, given["config"]), Msgpack(request, "config"));
        AssertSame(
            Ordered(("id", null), ("name", "web"), ("size", 1.5), ("tags", null), ("ports", null), ("rule", new object[0])),
            CtyCodec.Decode(block.ImpliedType, Msgpack(request, "proposed_new_state")!));
        Assert.Equal(new byte[] { 0xc0 }, Msgpack(request, "prior_state")); // not given: null, as Terraform sends it
        Assert.Equal(new byte[] { 0xc0 }, Msgpack(request, "provider_meta")); // the provider declares provider_meta
    }

    [Fact]
    public void Provider_meta_is_left_out_for_a_provider_without_its_schema_and_refused_when_given()
    {
        MethodDescriptor read = Method(6, "ReadResource");

        DynamicMessage request = Build(read, WithoutMeta, new Hashtable { ["type_name"] = "example_thing" });
        var error = Assert.Throws<PluginException>(() => Build(read, WithoutMeta, new Hashtable { ["type_name"] = "example_thing", ["provider_meta"] = new Hashtable() }));

        Assert.Null(request[read.InputType.FindFieldByName("provider_meta")]);
        Assert.Equal(new byte[] { 0xc0 }, Msgpack(request, "current_state"));
        Assert.Contains("'provider_meta'", error.Message);
        Assert.Contains("no provider_meta schema", error.Message);
    }

    [Fact]
    public void Provider_configurations_use_the_provider_schema_and_a_byte_array_is_sent_as_it_is()
    {
        DynamicMessage configure = Build(Method(6, "ConfigureProvider"), WithMeta, new Hashtable { ["config"] = new Hashtable { ["Endpoint"] = "https://x" } });
        DynamicMessage raw = Build(Method(5, "Configure"), WithMeta, new Hashtable { ["config"] = new byte[] { 0x80 } });

        AssertSame(Ordered(("endpoint", "https://x")), CtyCodec.Decode(WithMeta.Provider.ValueType, Msgpack(configure, "config")!));
        Assert.Equal(new byte[] { 0x80 }, Msgpack(raw, "config"));
    }

    [Fact]
    public void A_missing_or_unknown_type_name_says_which_are_valid_and_a_bad_value_names_its_attribute_path()
    {
        var missing = Assert.Throws<PluginException>(() => Build(Method(6, "ReadDataSource"), WithMeta, new Hashtable { ["config"] = new Hashtable() }));
        var unknown = Assert.Throws<PluginException>(() => Build(Method(6, "ValidateResourceConfig"), WithMeta, new Hashtable { ["type_name"] = "example_thingy" }));
        var bad = Assert.Throws<PluginException>(() => Build(Method(6, "ApplyResourceChange"), WithMeta, new Hashtable { ["type_name"] = "example_thing", ["planned_state"] = new Hashtable { ["rule"] = new[] { new Hashtable { ["port"] = "x" } } } }));

        Assert.All(new[] { missing, unknown, bad }, e => Assert.Equal(PluginErrorCode.InvalidRequest, e.Code));
        Assert.Equal("Invalid request field 'type_name': set it to the data source whose schema 'config' is encoded by (valid names: example_echo).", missing.Message);
        Assert.Equal("Invalid request field 'type_name': the provider has no resource type 'example_thingy' (valid names: example_thing).", unknown.Message);
        Assert.StartsWith("Invalid request field 'planned_state.rule[0].port': expected a number", bad.Message);
    }

    [Fact]
    public void Responses_decode_by_the_requests_type_name_and_imported_resources_by_their_own()
    {
        MethodDescriptor import = Method(6, "ImportResourceState");
        DynamicMessage request = Build(import, WithMeta, new Hashtable { ["type_name"] = "example_thing", ["id"] = "x" });
        var response = new DynamicMessage(import.OutputType);
        FieldDescriptor resources = import.OutputType.FindFieldByName("imported_resources");
        var imported = new DynamicMessage(resources.MessageType);
        imported[resources.MessageType.FindFieldByName("type_name")] = "example_thing";
        imported[resources.MessageType.FindFieldByName("state")] = Value(resources.MessageType.FindFieldByName("state"), CtyCodec.Encode(WithMeta.GetResource("example_thing").Block, new Hashtable { ["id"] = TerraformUnknown.Value, ["name"] = "n" }));
        RepeatedList.For(response, resources).Add(imported);

        var projected = (OrderedDictionary)Project(import, request, response)!;

        var state = (OrderedDictionary)((OrderedDictionary)((object[])projected["imported_resources"]!)[0])["state"]!;
        Assert.Same(TerraformUnknown.Value, state["id"]);
        Assert.Equal("n", state["name"]);
    }

    [Fact]
    public void A_value_sent_as_json_is_read_and_one_that_does_not_decode_stays_a_dynamic_value_with_the_failure_kept()
    {
        MethodDescriptor plan = Method(6, "PlanResourceChange");
        DynamicMessage request = Build(plan, WithMeta, new Hashtable { ["type_name"] = "example_thing" });
        FieldDescriptor planned = plan.OutputType.FindFieldByName("planned_state");
        var json = new DynamicMessage(plan.OutputType);
        var jsonValue = new DynamicMessage(planned.MessageType);
        jsonValue[planned.MessageType.FindFieldByName("json")] = Encoding.UTF8.GetBytes("""{"id":"i","name":"n","size":2,"tags":{"a":"b"},"ports":null,"rule":[]}""");
        json[planned] = jsonValue;
        var broken = new DynamicMessage(plan.OutputType);
        broken[planned] = Value(planned, new byte[] { 0x81, 0xa4, (byte)'n', (byte)'a', (byte)'m', (byte)'e', 0x01 });

        var fromJson = (OrderedDictionary)Project(plan, request, json)!;
        TerraformValueConverter converter = TerraformValueConverter.ForResponse(plan, WithMeta, request);
        var fromBroken = (OrderedDictionary)new MessageProjector(DictionaryRecordFactory.Instance, Pool(6).TypeResolver) { FieldConverter = converter }.Project(broken)!;

        Assert.Equal(2L, ((OrderedDictionary)fromJson["planned_state"]!)["size"]);
        Assert.IsType<OrderedDictionary>(fromBroken["planned_state"]); // the DynamicValue message, msgpack and all
        Assert.True(((OrderedDictionary)fromBroken["planned_state"]!).Contains("msgpack"));
        PluginException failure = Assert.Single(converter.Failures);
        Assert.Equal(PluginErrorCode.InvalidResponse, failure.Code);
        Assert.Contains("'planned_state", failure.Message);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(5)]
    public void Schema_types_come_back_as_text_with_nested_attributes_typed_by_what_they_imply(int version)
    {
        MethodDescriptor method = Method(version, version == 6 ? "GetProviderSchema" : "GetSchema");
        DynamicMessage response = Response(version, $$"""{ "resource_schemas": { "example_thing": {{(version == 6 ? Thing : Schema(Attribute("tags", """["map","string"]""")))}} } }""");

        var projected = (OrderedDictionary)Project(method, null, response)!;

        var block = (OrderedDictionary)((OrderedDictionary)((OrderedDictionary)projected["resource_schemas"]!)["example_thing"]!)["block"]!;
        string[] types = ((object[])block["attributes"]!).Select(a => (string)((OrderedDictionary)a)["type"]!).ToArray();
        Assert.Equal(version == 6 ? new[] { "string", "string", "number", "map(string)", "list(object({port=number}))" } : new[] { "map(string)" }, types);
    }

    [Fact]
    public void A_stored_state_for_an_upgrade_is_taken_as_json_text()
    {
        MethodDescriptor upgrade = Method(6, "UpgradeResourceState");

        DynamicMessage request = Build(upgrade, WithMeta, new Hashtable { ["type_name"] = "example_thing", ["raw_state"] = new Hashtable { ["json"] = """ {"title":"t"}""" } });
        DynamicMessage base64 = Build(upgrade, WithMeta, new Hashtable { ["raw_state"] = new Hashtable { ["json"] = "e30=" } });

        FieldDescriptor raw = upgrade.InputType.FindFieldByName("raw_state");
        Assert.Equal(""" {"title":"t"}""", Encoding.UTF8.GetString((byte[])((DynamicMessage)request[raw]!)[raw.MessageType.FindFieldByName("json")]!));
        Assert.Equal("{}", Encoding.UTF8.GetString((byte[])((DynamicMessage)base64[raw]!)[raw.MessageType.FindFieldByName("json")]!));
    }

    private static DescriptorPool Pool(int version) => TerraformProtocol.GetPool(version);

    private static MethodDescriptor Method(int version, string name) =>
        TerraformProtocol.FindProviderService(Pool(version), version).FindMethodByName(name);

    private static DynamicMessage Build(MethodDescriptor method, ProviderSchema schema, object request)
    {
        var builder = new MessageBuilder(RecordAdapter.Instance, Pool(method.File.Package == "tfplugin6" ? 6 : 5).TypeResolver)
        {
            FieldConverter = TerraformValueConverter.ForRequest(method, schema, RecordAdapter.Instance),
        };
        return builder.Build(method.InputType, request);
    }

    private static object? Project(MethodDescriptor method, DynamicMessage? request, DynamicMessage response) =>
        new MessageProjector(DictionaryRecordFactory.Instance, Pool(method.File.Package == "tfplugin6" ? 6 : 5).TypeResolver)
        {
            FieldConverter = TerraformValueConverter.ForResponse(method, WithMeta, request),
        }.Project(response);

    private static byte[]? Msgpack(DynamicMessage message, string field)
    {
        var value = (DynamicMessage?)message[message.Descriptor.FindFieldByName(field)];
        return value?[value.Descriptor.FindFieldByName("msgpack")] as byte[];
    }

    private static DynamicMessage Value(FieldDescriptor field, byte[] msgpack)
    {
        var value = new DynamicMessage(field.MessageType);
        value[field.MessageType.FindFieldByName("msgpack")] = msgpack;
        return value;
    }
}
