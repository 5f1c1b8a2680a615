namespace RpcPlugin.Core.Terraform;

/// <summary>An attribute of a schema block or of a v6 nested attribute.</summary>
public sealed class SchemaAttribute
{
    internal SchemaAttribute(string name, CtyType? type, SchemaNestedObject? nestedType)
    {
        Name = name;
        Type = type;
        NestedType = nestedType;
        ImpliedType = type ?? nestedType?.ImpliedType ?? CtyType.Dynamic;
    }

    /// <summary>The attribute's name.</summary>
    public string Name { get; }

    /// <summary>The attribute's cty type as the schema gives it; null for a nested attribute.</summary>
    public CtyType? Type { get; }

    /// <summary>The nested attributes of a v6 nested attribute; null otherwise.</summary>
    public SchemaNestedObject? NestedType { get; }

    /// <summary>The type of the attribute's value: <see cref="Type"/>, or the one <see cref="NestedType"/> implies.</summary>
    public CtyType ImpliedType { get; }

    /// <summary>The type as Terraform writes it, e.g. <c>map(string)</c> or <c>list(object({a=optional(number)}))</c>.</summary>
    public string TypeText => ImpliedType.ToString();

    /// <summary>The description the provider gives.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Whether <see cref="Description"/> is Markdown rather than plain text.</summary>
    public bool DescriptionIsMarkdown { get; init; }

    /// <summary>Whether the configuration must set it.</summary>
    public bool Required { get; init; }

    /// <summary>Whether the configuration may set it.</summary>
    public bool Optional { get; init; }

    /// <summary>Whether the provider may set it (then it is unknown in plans until applied).</summary>
    public bool Computed { get; init; }

    /// <summary>Whether Terraform hides its value in output.</summary>
    public bool Sensitive { get; init; }

    /// <summary>Whether the provider discourages its use.</summary>
    public bool Deprecated { get; init; }

    /// <summary>Whether the value is only given in configuration, never stored in plan or state.</summary>
    public bool WriteOnly { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {TypeText}";
}
