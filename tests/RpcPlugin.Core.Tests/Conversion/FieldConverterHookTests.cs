using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Terraform;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>
/// The field converter hook of <see cref="MessageBuilder"/> and <see cref="MessageProjector"/>: what a converter
/// takes it converts, after the message's other fields and with what was given; the rest is converted as usual.
/// </summary>
public class FieldConverterHookTests
{
    private static readonly DescriptorPool Pool = TerraformProtocol.GetPool(6);
    private static readonly MessageDescriptor Plan = Pool.FindMessage("tfplugin6.PlanResourceChange.Request")!;

    [Fact]
    public void The_builder_leaves_converted_fields_to_the_converter_which_sees_the_other_fields_already_set()
    {
        var converter = new RecordingConverter("prior_state", "proposed_new_state");
        var builder = new MessageBuilder(PlainValueAdapter.Instance, Pool.TypeResolver) { FieldConverter = converter };

        // prior_state comes before type_name: the converter still sees type_name set.
        var given = new OrderedDictionary { ["prior_state"] = "before", ["type_name"] = "example_thing", ["proposed_new_state"] = null, ["config"] = new Hashtable { ["msgpack"] = new byte[] { 0xc0 } } };
        DynamicMessage request = builder.Build(Plan, given);

        var completed = converter.Completed.Single(c => c.Type == Plan.FullName);
        Assert.Equal("example_thing", completed.TypeName);
        Assert.Equal(new[] { "prior_state" }, completed.Given.Keys.ToArray());
        Assert.Equal("before", completed.Given["prior_state"]);
        Assert.Equal(new byte[] { 0xc0 }, (byte[])((DynamicMessage)request[Plan.FindFieldByName("config")]!)[Plan.FindFieldByName("config").MessageType.FindFieldByName("msgpack")]!);
        Assert.Equal("converted before", ((DynamicMessage)request[Plan.FindFieldByName("prior_state")]!)[Plan.FindFieldByName("prior_state").MessageType.FindFieldByName("json")] is byte[] json ? System.Text.Encoding.UTF8.GetString(json) : null);
    }

    [Fact]
    public void The_builder_completes_nested_messages_too_and_a_converter_that_takes_nothing_changes_nothing()
    {
        var converter = new RecordingConverter();
        var builder = new MessageBuilder(PlainValueAdapter.Instance, Pool.TypeResolver) { FieldConverter = converter };
        var plain = new MessageBuilder(PlainValueAdapter.Instance, Pool.TypeResolver);
        var given = new Hashtable { ["type_name"] = "t", ["client_capabilities"] = new Hashtable { ["deferral_allowed"] = true } };

        DynamicMessage hooked = builder.Build(Plan, given);

        Assert.Equal(new[] { "tfplugin6.ClientCapabilities", Plan.FullName }, converter.Completed.Select(c => c.Type).OrderBy(t => t.Length).ToArray());
        Assert.Equal(DynamicCodec.Encode(plain.Build(Plan, given)), DynamicCodec.Encode(hooked));
    }

    [Fact]
    public void The_projector_asks_the_converter_first_and_projects_the_rest_as_usual()
    {
        var response = new DynamicMessage(Pool.FindMessage("tfplugin6.PlanResourceChange.Response")!);
        response[response.Descriptor.FindFieldByName("legacy_type_system")] = true;
        var projector = new MessageProjector(DictionaryRecordFactory.Instance, Pool.TypeResolver) { FieldConverter = new RecordingConverter("planned_state") };

        var record = (OrderedDictionary)projector.Project(response)!;

        Assert.Equal("projected planned_state", record["planned_state"]);
        Assert.Equal(true, record["legacy_type_system"]);
        Assert.Equal(new[] { "planned_state", "requires_replace", "planned_private", "diagnostics", "legacy_type_system", "deferred", "planned_identity" }, record.Keys.Cast<string>());
    }

    /// <summary>Takes the named fields: builds them as DynamicValue JSON of "converted " + the given text, projects them as text.</summary>
    private sealed class RecordingConverter : IFieldConverter
    {
        private readonly HashSet<string> names;

        public RecordingConverter(params string[] names) => this.names = new HashSet<string>(names);

        public List<(string Type, string TypeName, Dictionary<string, object> Given)> Completed { get; } = new();

        public bool Converts(FieldDescriptor field) => names.Contains(field.Name);

        public void Complete(DynamicMessage message, IReadOnlyDictionary<FieldDescriptor, object>? given, string path)
        {
            string typeName = message.Descriptor.FindFieldByName("type_name") is { } typeField ? message[typeField] as string ?? string.Empty : string.Empty;
            Completed.Add((message.Descriptor.FullName, typeName, given?.ToDictionary(g => g.Key.Name, g => g.Value) ?? new()));
            foreach ((FieldDescriptor field, object value) in given ?? new Dictionary<FieldDescriptor, object>())
            {
                var dynamicValue = new DynamicMessage(field.MessageType);
                dynamicValue[field.MessageType.FindFieldByName("json")] = System.Text.Encoding.UTF8.GetBytes("converted " + value);
                message[field] = dynamicValue;
            }
        }

        public bool TryProject(DynamicMessage message, FieldDescriptor field, out object? value)
        {
            value = names.Contains(field.Name) ? "projected " + field.Name : null;
            return value is not null;
        }
    }
}
