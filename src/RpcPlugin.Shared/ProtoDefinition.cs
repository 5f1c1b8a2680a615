using System.Text;

namespace RpcPlugin;

/// <summary>Writes a described type back as .proto text, for the list view and for reading in a console.</summary>
internal static class ProtoDefinition
{
    private const string Indent = "  ";

    public static string Write(RpcMessageTypeInfo type)
    {
        var text = new StringBuilder();
        Comment(text, type.Description, string.Empty);
        string keyword = type.Kind == RpcMessageTypeKind.Enum ? "enum" : "message";
        text.Append(keyword).Append(' ').Append(SimpleName(type.Name)).Append(" {").Append('\n');
        if (type.Kind == RpcMessageTypeKind.Enum)
        {
            foreach (RpcEnumValueInfo value in type.Values)
            {
                Comment(text, value.Description, Indent);
                text.Append(Indent).Append(value).Append('\n');
            }
        }
        else
        {
            WriteFields(text, type.Fields);
        }

        return text.Append('}').ToString();
    }

    /// <summary>Fields in declaration order, the members of a oneof inside its block.</summary>
    private static void WriteFields(StringBuilder text, RpcFieldInfo[] fields)
    {
        string? openOneof = null;
        foreach (RpcFieldInfo field in fields)
        {
            if (field.Oneof != openOneof)
            {
                if (openOneof is not null)
                {
                    text.Append(Indent).Append("}\n");
                }

                if (field.Oneof is not null)
                {
                    text.Append(Indent).Append("oneof ").Append(field.Oneof).Append(" {\n");
                }

                openOneof = field.Oneof;
            }

            string indent = openOneof is null ? Indent : Indent + Indent;
            Comment(text, field.Description, indent);
            text.Append(indent).Append(field).Append('\n');
        }

        if (openOneof is not null)
        {
            text.Append(Indent).Append("}\n");
        }
    }

    private static void Comment(StringBuilder text, string? description, string indent)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return;
        }

        foreach (string line in description.Replace("\r\n", "\n").Split('\n'))
        {
            text.Append(indent).Append("//").Append(line.Length == 0 ? string.Empty : " " + line).Append('\n');
        }
    }

    private static string SimpleName(string fullName) => fullName[(fullName.LastIndexOf('.') + 1)..];
}
