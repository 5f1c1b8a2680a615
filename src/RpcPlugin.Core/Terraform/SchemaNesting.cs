namespace RpcPlugin.Core.Terraform;

/// <summary>How a nested block, or a v6 nested attribute, repeats inside its parent.</summary>
public enum SchemaNesting
{
    /// <summary>At most one: an object, or null when absent.</summary>
    Single,

    /// <summary>An ordered list of objects (empty when absent, for blocks).</summary>
    List,

    /// <summary>An unordered set of objects (empty when absent, for blocks).</summary>
    Set,

    /// <summary>Objects keyed by label (empty when absent, for blocks).</summary>
    Map,

    /// <summary>Blocks only: exactly one object, whose attributes are null when the block is absent.</summary>
    Group,
}
