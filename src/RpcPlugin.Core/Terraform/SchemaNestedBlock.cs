namespace RpcPlugin.Core.Terraform;

/// <summary>A block type that may appear inside a block, and how often.</summary>
public sealed class SchemaNestedBlock
{
    internal SchemaNestedBlock(string typeName, SchemaBlock block, SchemaNesting nesting, long minItems, long maxItems)
    {
        TypeName = typeName;
        Block = block;
        Nesting = nesting;
        MinItems = minItems;
        MaxItems = maxItems;

        // As Terraform decodes blocks: a list or map of blocks that contain a dynamic attribute cannot have one
        // element type, so it becomes a dynamic value (a tuple or an object of the blocks' own types).
        CtyType item = block.ImpliedType;
        ImpliedType = nesting switch
        {
            SchemaNesting.List => item.HasDynamic ? CtyType.Dynamic : CtyType.List(item),
            SchemaNesting.Set => CtyType.Set(item),
            SchemaNesting.Map => item.HasDynamic ? CtyType.Dynamic : CtyType.Map(item),
            _ => item,
        };
    }

    /// <summary>The block's type name, e.g. <c>ingress</c>: its attribute name in the parent's value.</summary>
    public string TypeName { get; }

    /// <summary>The block's contents.</summary>
    public SchemaBlock Block { get; }

    /// <summary>How the block repeats.</summary>
    public SchemaNesting Nesting { get; }

    /// <summary>The fewest blocks the configuration must have (0: no minimum).</summary>
    public long MinItems { get; }

    /// <summary>The most blocks the configuration may have (0: no maximum).</summary>
    public long MaxItems { get; }

    /// <summary>The type of the value the block contributes to its parent.</summary>
    public CtyType ImpliedType { get; }

    /// <inheritdoc />
    public override string ToString() => $"{TypeName} ({Nesting})";
}
