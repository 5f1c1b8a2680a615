using System.Collections.Generic;

namespace RpcPlugin.TerraformProvider.Provider;

/// <summary>A step of an attribute path: an attribute name, a map key or a list index.</summary>
internal sealed record PathStep(string? Attribute = null, string? Key = null, long? Index = null);

/// <summary>A diagnostic, independent of the protocol version.</summary>
internal sealed record Diag(bool IsError, string Summary, string Detail = "", IReadOnlyList<PathStep>? Path = null)
{
    public static Diag Error(string summary, string detail = "", params PathStep[] path) => new(true, summary, detail, path.Length == 0 ? null : path);

    public static Diag Warning(string summary, string detail = "", params PathStep[] path) => new(false, summary, detail, path.Length == 0 ? null : path);
}
