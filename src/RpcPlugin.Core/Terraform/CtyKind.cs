namespace RpcPlugin.Core.Terraform;

/// <summary>The kinds of cty type, Terraform's type system.</summary>
public enum CtyKind
{
    /// <summary>A Unicode string.</summary>
    String,

    /// <summary>An arbitrary-precision number (no integer/float distinction).</summary>
    Number,

    /// <summary>true or false.</summary>
    Bool,

    /// <summary>Any type, decided by the value: such a value travels with its type.</summary>
    Dynamic,

    /// <summary>An ordered sequence of values of one element type.</summary>
    List,

    /// <summary>An unordered collection of distinct values of one element type.</summary>
    Set,

    /// <summary>String keys to values of one element type.</summary>
    Map,

    /// <summary>Named attributes, each with its own type.</summary>
    Object,

    /// <summary>A fixed-length sequence, each element with its own type.</summary>
    Tuple,
}
