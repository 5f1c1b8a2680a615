using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Descriptors;

/// <summary>Reads a descriptor's comments from its file's SourceCodeInfo, as one description.</summary>
internal static class DescriptorComments
{
    public static string? Of(IDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        DescriptorDeclaration? declaration;
        try
        {
            declaration = descriptor switch
            {
                MessageDescriptor d => d.Declaration,
                FieldDescriptor d => d.Declaration,
                EnumDescriptor d => d.Declaration,
                EnumValueDescriptor d => d.Declaration,
                ServiceDescriptor d => d.Declaration,
                MethodDescriptor d => d.Declaration,
                OneofDescriptor d => d.Declaration,
                _ => null,
            };
        }
        catch (InvalidProtocolBufferException)
        {
            // A descriptor set's SourceCodeInfo with paths that point nowhere: no description rather than a failure.
            return null;
        }

        if (declaration is null)
        {
            return null;
        }

        string[] parts = new[] { Clean(declaration.LeadingComments), Clean(declaration.TrailingComments) }
            .Where(p => p.Length > 0)
            .ToArray();
        return parts.Length == 0 ? null : string.Join(Environment.NewLine, parts);
    }

    /// <summary>Trims the comment and the one space that usually follows <c>//</c> on each of its lines.</summary>
    private static string Clean(string? comment)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return string.Empty;
        }

        var lines = comment.Replace("\r\n", "\n").Trim('\n').Split('\n');
        if (lines.All(l => l.Length == 0 || l.StartsWith(' ')))
        {
            lines = lines.Select(l => l.Length == 0 ? l : l[1..]).ToArray();
        }

        return string.Join(Environment.NewLine, lines.Select(l => l.TrimEnd())).Trim();
    }
}
