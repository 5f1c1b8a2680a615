namespace RpcPlugin;

/// <summary>
/// A Terraform value that is not known yet: what a plan shows as "(known after apply)", e.g. a computed attribute
/// of a resource that has not been created. Responses carry it where the provider sent an unknown value; requests
/// accept it (<c>[RpcPlugin.TerraformUnknown]::Value</c>) wherever a value may be unknown, such as in a planned
/// state. Refinements a provider attaches to an unknown value (not null, a string prefix, a number range) are not
/// kept: every unknown value is this one instance.
/// </summary>
public sealed class TerraformUnknown : IEquatable<TerraformUnknown>
{
    private TerraformUnknown()
    {
    }

    /// <summary>The unknown value.</summary>
    public static TerraformUnknown Value { get; } = new();

    /// <inheritdoc />
    public bool Equals(TerraformUnknown? other) => other is not null;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TerraformUnknown;

    /// <inheritdoc />
    public override int GetHashCode() => 0x7f_0000;

    /// <summary>How Terraform shows an unknown value in a plan: <c>(known after apply)</c>.</summary>
    public override string ToString() => "(known after apply)";
}
