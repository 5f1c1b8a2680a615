namespace RpcPlugin.Core.Terraform;

/// <summary>
/// A schema block: the attributes and nested blocks of a provider configuration, resource or data source (or of a
/// nested block). Its value is an object with one attribute per attribute and per nested block type.
/// </summary>
public sealed class SchemaBlock
{
    internal SchemaBlock(IReadOnlyList<SchemaAttribute> attributes, IReadOnlyList<SchemaNestedBlock> blockTypes)
    {
        Attributes = attributes;
        BlockTypes = blockTypes;
        ImpliedType = CtyType.Object(
            attributes.Select(a => new CtyAttribute(a.Name, a.ImpliedType))
                .Concat(blockTypes.Select(b => new CtyAttribute(b.TypeName, b.ImpliedType))));
    }

    /// <summary>The block's attributes, in schema order.</summary>
    public IReadOnlyList<SchemaAttribute> Attributes { get; }

    /// <summary>The block types nested in it, in schema order.</summary>
    public IReadOnlyList<SchemaNestedBlock> BlockTypes { get; }

    /// <summary>
    /// The object type of the block's value: its attributes, then its nested blocks, in schema order (the order of
    /// decoded values).
    /// </summary>
    public CtyType ImpliedType { get; }

    /// <summary>The block's description.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Whether <see cref="Description"/> is Markdown rather than plain text.</summary>
    public bool DescriptionIsMarkdown { get; init; }

    /// <summary>Whether the provider discourages the block's use.</summary>
    public bool Deprecated { get; init; }

    /// <summary>An empty block (a provider without configuration).</summary>
    public static SchemaBlock Empty { get; } = new(System.Array.Empty<SchemaAttribute>(), System.Array.Empty<SchemaNestedBlock>());

    /// <summary>The nested block type at <paramref name="index"/> of <see cref="ImpliedType"/>'s attributes, or null for an attribute.</summary>
    internal SchemaNestedBlock? NestedAt(int index) => index >= Attributes.Count ? BlockTypes[index - Attributes.Count] : null;
}
