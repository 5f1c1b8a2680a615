using System.Collections.Generic;
using System.Linq;
using RpcPlugin.TerraformProvider.Cty;

namespace RpcPlugin.TerraformProvider.Schema;

/// <summary>An attribute: a cty type, or (protocol 6) nested attributes.</summary>
internal sealed record TfAttribute(string Name, TfType? Type, TfNested? Nested = null, bool Required = false, bool Optional = false, bool Computed = false, bool Sensitive = false, string Description = "")
{
    public TfType ImpliedType => Type ?? Nested!.ImpliedType;
}

/// <summary>Nested attributes and how they repeat: SINGLE, LIST, SET or MAP.</summary>
internal sealed record TfNested(string Nesting, IReadOnlyList<TfAttribute> Attributes)
{
    public TfType ImpliedType
    {
        get
        {
            TfType item = TfType.Object(Attributes.Select(a => new KeyValuePair<string, TfType>(a.Name, a.ImpliedType)));
            return Nesting switch
            {
                "LIST" => TfType.List(item),
                "SET" => TfType.Set(item),
                "MAP" => TfType.Map(item),
                _ => item,
            };
        }
    }
}

/// <summary>A nested block type and its nesting mode: SINGLE, LIST, SET, MAP or GROUP.</summary>
internal sealed record TfBlockType(string Name, string Nesting, TfBlock Block)
{
    public TfType ImpliedType => Nesting switch
    {
        "LIST" => TfType.List(Block.ImpliedType),
        "SET" => TfType.Set(Block.ImpliedType),
        "MAP" => TfType.Map(Block.ImpliedType),
        _ => Block.ImpliedType,
    };
}

/// <summary>A block: attributes and nested block types.</summary>
internal sealed record TfBlock(IReadOnlyList<TfAttribute> Attributes, IReadOnlyList<TfBlockType> Blocks, string Description = "")
{
    public TfType ImpliedType => TfType.Object(
        Attributes.Select(a => new KeyValuePair<string, TfType>(a.Name, a.ImpliedType))
            .Concat(Blocks.Select(b => new KeyValuePair<string, TfType>(b.Name, b.ImpliedType))));
}

/// <summary>A schema with its version.</summary>
internal sealed record TfSchema(long Version, TfBlock Block);
