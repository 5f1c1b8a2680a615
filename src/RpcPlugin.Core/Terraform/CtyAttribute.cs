namespace RpcPlugin.Core.Terraform;

/// <summary>An attribute of a cty object type.</summary>
/// <param name="Name">The attribute's name (case-sensitive in Terraform).</param>
/// <param name="Type">The attribute's type.</param>
/// <param name="Optional">
/// Whether the type marks it optional (the third element of an object type's JSON): only type conversion in
/// Terraform cares; on the wire every attribute is present, null when unset.
/// </param>
public sealed record CtyAttribute(string Name, CtyType Type, bool Optional = false);
