namespace RpcPlugin;

/// <summary>
/// An error diagnostic in a Terraform provider's response: the provider answered, and said the operation (or part
/// of it) failed. Its ErrorId is <c>RpcPlugin.Terraform.Diagnostic</c>; scripts can
/// <c>catch [RpcPlugin.TerraformDiagnosticException]</c> (with <c>-ErrorAction Stop</c>, since these errors are
/// non-terminating) and read <see cref="Summary"/>, <see cref="Detail"/> and <see cref="Attribute"/>.
/// </summary>
/// <param name="method">The call whose response carried it, as <c>package.Service/Method</c>.</param>
/// <param name="summary">The provider's short description.</param>
/// <param name="detail">The provider's longer explanation, or empty.</param>
/// <param name="attribute">The attribute's path as Terraform writes it (<c>rule[0].port</c>), or null.</param>
/// <param name="message">The message to show; by default the summary, the detail and the attribute.</param>
public sealed class TerraformDiagnosticException(string method, string summary, string detail, string? attribute, string? message = null)
    : RpcPluginException(DiagnosticErrorId, message ?? Describe(summary, detail, attribute))
{
    /// <summary>The ErrorId of every Terraform diagnostic error.</summary>
    public const string DiagnosticErrorId = "RpcPlugin.Terraform.Diagnostic";

    /// <summary>The call whose response carried the diagnostic, as <c>package.Service/Method</c>.</summary>
    public string Method { get; } = method;

    /// <summary>The provider's short description of the problem.</summary>
    public string Summary { get; } = summary;

    /// <summary>The provider's longer explanation, or empty.</summary>
    public string Detail { get; } = detail;

    /// <summary>The path of the attribute the problem is about (<c>rule[0].port</c>, <c>tags["env"]</c>), or null.</summary>
    public string? Attribute { get; } = attribute;

    /// <summary>How a diagnostic reads as one message: the summary, the detail, and where.</summary>
    public static string Describe(string summary, string detail, string? attribute)
    {
        string text = string.IsNullOrWhiteSpace(detail) || detail == summary ? summary : $"{summary}: {detail}";
        return attribute is null ? text : $"{text} (at {attribute})";
    }
}
