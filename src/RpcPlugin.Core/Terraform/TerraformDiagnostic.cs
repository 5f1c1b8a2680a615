using System.Globalization;
using System.Text;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Core.Terraform;

/// <summary>A diagnostic from a provider's response: an error or a warning, maybe about one attribute.</summary>
/// <param name="Severity">Error or Warning (Invalid for a provider that left it unset).</param>
/// <param name="Summary">A short description.</param>
/// <param name="Detail">The longer explanation, or empty.</param>
/// <param name="Attribute">The attribute's path as Terraform writes it (<c>rule[0].ports["http"]</c>), or null.</param>
public sealed record TerraformDiagnostic(TerraformDiagnosticSeverity Severity, string Summary, string Detail, string? Attribute)
{
    /// <summary>The diagnostics of a response message (its <c>diagnostics</c> field), in order; empty when it has none.</summary>
    public static IReadOnlyList<TerraformDiagnostic> ReadAll(DynamicMessage response) =>
        SchemaMessageReader.Messages(response, "diagnostics").Select(Read).ToList();

    /// <summary>Reads one <c>Diagnostic</c> message.</summary>
    public static TerraformDiagnostic Read(DynamicMessage diagnostic)
    {
        var severity = SchemaMessageReader.Int(diagnostic, "severity") switch
        {
            1 => TerraformDiagnosticSeverity.Error,
            2 => TerraformDiagnosticSeverity.Warning,
            _ => TerraformDiagnosticSeverity.Invalid,
        };
        DynamicMessage? path = SchemaMessageReader.Message(diagnostic, "attribute");
        return new TerraformDiagnostic(severity, SchemaMessageReader.Text(diagnostic, "summary"), SchemaMessageReader.Text(diagnostic, "detail"), path is null ? null : FormatPath(path));
    }

    /// <summary>An <c>AttributePath</c> message as Terraform writes paths; null when it has no steps.</summary>
    public static string? FormatPath(DynamicMessage path)
    {
        var text = new StringBuilder();
        foreach (DynamicMessage step in SchemaMessageReader.Messages(path, "steps"))
        {
            if (SchemaMessageReader.Text(step, "attribute_name") is { Length: > 0 } name)
            {
                text.Append(text.Length == 0 ? string.Empty : ".").Append(name);
            }
            else if (step.Descriptor.FindFieldByName("element_key_string") is { } keyField && step[keyField] is string key)
            {
                text.Append("[\"").Append(key).Append("\"]");
            }
            else
            {
                text.Append('[').Append(SchemaMessageReader.Long(step, "element_key_int").ToString(CultureInfo.InvariantCulture)).Append(']');
            }
        }

        return text.Length == 0 ? null : text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Attribute is null ? $"{Severity}: {Summary}" : $"{Severity}: {Summary} (at {Attribute})";
}

/// <summary>How serious a <see cref="TerraformDiagnostic"/> is.</summary>
public enum TerraformDiagnosticSeverity
{
    /// <summary>The provider did not say (the protocol's zero value).</summary>
    Invalid,

    /// <summary>The call failed.</summary>
    Error,

    /// <summary>The call succeeded, with a warning.</summary>
    Warning,
}
