namespace RpcPlugin.Core.Terraform;

/// <summary>The attributes of a v6 nested attribute (<c>nested_type</c>) and how the object repeats.</summary>
public sealed class SchemaNestedObject
{
    internal SchemaNestedObject(IReadOnlyList<SchemaAttribute> attributes, SchemaNesting nesting)
    {
        Attributes = attributes;
        Nesting = nesting;

        // Terraform marks optional and computed nested attributes optional in the object type (it matters only for
        // type conversion: on the wire every attribute is there).
        CtyType item = CtyType.Object(attributes.Select(a => new CtyAttribute(a.Name, a.ImpliedType, a.Optional || a.Computed)));
        ImpliedType = nesting switch
        {
            SchemaNesting.List => CtyType.List(item),
            SchemaNesting.Set => CtyType.Set(item),
            SchemaNesting.Map => CtyType.Map(item),
            _ => item,
        };
    }

    /// <summary>The nested attributes, in schema order.</summary>
    public IReadOnlyList<SchemaAttribute> Attributes { get; }

    /// <summary>Single, List, Set or Map.</summary>
    public SchemaNesting Nesting { get; }

    /// <summary>The value's type: an object, or a list, set or map of objects.</summary>
    public CtyType ImpliedType { get; }
}
