using System;
using System.Linq;
using Google.Protobuf;
using V5 = Tfplugin5;
using V6 = Tfplugin6;

namespace RpcPlugin.TerraformProvider.Schema;

/// <summary>The provider's schemas as the generated tfplugin5/tfplugin6 messages.</summary>
internal static class SchemaMessages
{
    public static V6.Schema ToV6(TfSchema schema) => new() { Version = schema.Version, Block = Block6(schema.Block) };

    public static V5.Schema ToV5(TfSchema schema) => new() { Version = schema.Version, Block = Block5(schema.Block) };

    private static V6.Schema.Types.Block Block6(TfBlock block)
    {
        var result = new V6.Schema.Types.Block { Description = block.Description };
        result.Attributes.AddRange(block.Attributes.Select(Attribute6));
        result.BlockTypes.AddRange(block.Blocks.Select(b => new V6.Schema.Types.NestedBlock
        {
            TypeName = b.Name,
            Nesting = Enum.Parse<V6.Schema.Types.NestedBlock.Types.NestingMode>(b.Nesting, ignoreCase: true),
            Block = Block6(b.Block),
        }));
        return result;
    }

    private static V6.Schema.Types.Attribute Attribute6(TfAttribute attribute)
    {
        var result = new V6.Schema.Types.Attribute
        {
            Name = attribute.Name,
            Required = attribute.Required,
            Optional = attribute.Optional,
            Computed = attribute.Computed,
            Sensitive = attribute.Sensitive,
            Description = attribute.Description,
        };
        if (attribute.Nested is { } nested)
        {
            result.NestedType = new V6.Schema.Types.Object { Nesting = Enum.Parse<V6.Schema.Types.Object.Types.NestingMode>(nested.Nesting, ignoreCase: true) };
            result.NestedType.Attributes.AddRange(nested.Attributes.Select(Attribute6));
        }
        else
        {
            result.Type = ByteString.CopyFrom(attribute.Type!.ToJson());
        }

        return result;
    }

    private static V5.Schema.Types.Block Block5(TfBlock block)
    {
        var result = new V5.Schema.Types.Block { Description = block.Description };
        result.Attributes.AddRange(block.Attributes.Select(a => new V5.Schema.Types.Attribute
        {
            Name = a.Name,
            Type = ByteString.CopyFrom(a.Type!.ToJson()),
            Required = a.Required,
            Optional = a.Optional,
            Computed = a.Computed,
            Sensitive = a.Sensitive,
            Description = a.Description,
        }));
        result.BlockTypes.AddRange(block.Blocks.Select(b => new V5.Schema.Types.NestedBlock
        {
            TypeName = b.Name,
            Nesting = Enum.Parse<V5.Schema.Types.NestedBlock.Types.NestingMode>(b.Nesting, ignoreCase: true),
            Block = Block5(b.Block),
        }));
        return result;
    }
}
