using System.Collections;
using System.Collections.Specialized;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// Reads the tfplugin5/tfplugin6 schema messages as the dynamic codec decodes them, by field name, so one reader
/// serves both protocols (fields protocol 5 lacks, such as <c>nested_type</c>, read as absent).
/// </summary>
internal static class SchemaMessageReader
{
    public static TerraformSchema? ReadSchema(DynamicMessage? schema, string where)
    {
        if (schema is null)
        {
            return null;
        }

        return new TerraformSchema(Long(schema, "version"), ReadBlock(Message(schema, "block"), where, 0));
    }

    public static SchemaBlock ReadBlock(DynamicMessage? block, string where, int depth)
    {
        if (block is null)
        {
            return SchemaBlock.Empty;
        }

        if (depth > 64)
        {
            throw Invalid(where, "blocks nest more than 64 levels deep");
        }

        var attributes = Messages(block, "attributes").Select(a => ReadAttribute(a, where, depth)).ToList();
        var blockTypes = Messages(block, "block_types").Select(b => ReadNestedBlock(b, where, depth)).ToList();
        string? clash = attributes.Select(a => a.Name).Concat(blockTypes.Select(b => b.TypeName))
            .GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (clash is not null)
        {
            throw Invalid(where, $"'{clash}' is defined twice in one block");
        }

        return new SchemaBlock(attributes, blockTypes)
        {
            Description = Text(block, "description"),
            DescriptionIsMarkdown = Int(block, "description_kind") == 1,
            Deprecated = Bool(block, "deprecated"),
        };
    }

    /// <summary>The type of a schema attribute's values: its <c>type</c>, or the one its <c>nested_type</c> implies.</summary>
    public static CtyType AttributeType(DynamicMessage attribute) => ReadAttribute(attribute, "an attribute", 0).ImpliedType;

    public static IEnumerable<DynamicMessage> Messages(DynamicMessage message, string name) =>
        Field(message, name) is { } field && message[field] is IList list ? list.Cast<DynamicMessage>() : Enumerable.Empty<DynamicMessage>();

    public static IEnumerable<KeyValuePair<string, DynamicMessage>> Map(DynamicMessage message, string name)
    {
        if (Field(message, name) is { } field && message[field] is OrderedDictionary map)
        {
            foreach (DictionaryEntry entry in map)
            {
                if (entry.Value is DynamicMessage value)
                {
                    yield return new((string)entry.Key, value);
                }
            }
        }
    }

    public static DynamicMessage? Message(DynamicMessage message, string name) => Field(message, name) is { } field ? message[field] as DynamicMessage : null;

    public static string Text(DynamicMessage message, string name) => Field(message, name) is { } field ? message[field] as string ?? string.Empty : string.Empty;

    public static byte[]? Bytes(DynamicMessage message, string name) => Field(message, name) is { } field ? message[field] as byte[] : null;

    public static long Long(DynamicMessage message, string name) => Field(message, name) is { } field && message[field] is long value ? value : 0;

    public static int Int(DynamicMessage message, string name) => Field(message, name) is { } field && message[field] is int value ? value : 0;

    public static bool Bool(DynamicMessage message, string name) => Field(message, name) is { } field && message[field] is true;

    public static PluginException Invalid(string where, string reason) =>
        new(PluginErrorCode.InvalidResponse, $"The provider's schema for {where} cannot be used: {reason}.");

    private static FieldDescriptor? Field(DynamicMessage message, string name) => message.Descriptor.FindFieldByName(name);

    private static SchemaAttribute ReadAttribute(DynamicMessage attribute, string where, int depth)
    {
        string name = Text(attribute, "name");
        DynamicMessage? nested = Message(attribute, "nested_type");
        byte[]? typeJson = Bytes(attribute, "type");
        CtyType? type = null;
        if (nested is null || typeJson is { Length: > 0 })
        {
            try
            {
                type = CtyType.Parse(typeJson ?? Array.Empty<byte>());
            }
            catch (PluginException e)
            {
                throw Invalid(where, $"attribute '{name}' has no usable type ({e.Message})");
            }
        }

        SchemaNestedObject? nestedType = nested is null ? null : ReadNestedObject(nested, where, depth);
        return new SchemaAttribute(name, type, nestedType)
        {
            Description = Text(attribute, "description"),
            DescriptionIsMarkdown = Int(attribute, "description_kind") == 1,
            Required = Bool(attribute, "required"),
            Optional = Bool(attribute, "optional"),
            Computed = Bool(attribute, "computed"),
            Sensitive = Bool(attribute, "sensitive"),
            Deprecated = Bool(attribute, "deprecated"),
            WriteOnly = Bool(attribute, "write_only"),
        };
    }

    private static SchemaNestedObject ReadNestedObject(DynamicMessage nested, string where, int depth)
    {
        if (depth > 64)
        {
            throw Invalid(where, "nested attributes nest more than 64 levels deep");
        }

        var attributes = Messages(nested, "attributes").Select(a => ReadAttribute(a, where, depth + 1)).ToList();
        SchemaNesting nesting = Int(nested, "nesting") switch
        {
            1 => SchemaNesting.Single,
            2 => SchemaNesting.List,
            3 => SchemaNesting.Set,
            4 => SchemaNesting.Map,
            var other => throw Invalid(where, $"a nested attribute has nesting mode {other}"),
        };
        return new SchemaNestedObject(attributes, nesting);
    }

    private static SchemaNestedBlock ReadNestedBlock(DynamicMessage nested, string where, int depth)
    {
        string name = Text(nested, "type_name");
        SchemaNesting nesting = Int(nested, "nesting") switch
        {
            1 => SchemaNesting.Single,
            2 => SchemaNesting.List,
            3 => SchemaNesting.Set,
            4 => SchemaNesting.Map,
            5 => SchemaNesting.Group,
            var other => throw Invalid(where, $"block '{name}' has nesting mode {other}"),
        };
        return new SchemaNestedBlock(name, ReadBlock(Message(nested, "block"), where, depth + 1), nesting, Long(nested, "min_items"), Long(nested, "max_items"));
    }
}
