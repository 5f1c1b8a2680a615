namespace RpcPlugin.Core.Terraform;

/// <summary>One schema of a provider (its configuration, a resource type, a data source...), with its version.</summary>
public sealed class TerraformSchema
{
    internal TerraformSchema(long version, SchemaBlock block)
    {
        Version = version;
        Block = block;
    }

    /// <summary>The schema version: a resource's stored state records it, and UpgradeResourceState converts older ones.</summary>
    public long Version { get; }

    /// <summary>The top-level block.</summary>
    public SchemaBlock Block { get; }

    /// <summary>The type of values of this schema (the block's implied object type).</summary>
    public CtyType ValueType => Block.ImpliedType;
}
