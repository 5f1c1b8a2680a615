namespace RpcPlugin.Core.Descriptors;

/// <summary>One token of .proto text, with the comments protoc would attach around it.</summary>
internal sealed class ProtoToken(string text, int line, int column, int endLine, int endColumn)
{
    /// <summary>The token as written (string literals keep their quotes).</summary>
    public string Text { get; } = text;

    /// <summary>Zero-based line of the first character, as in SourceCodeInfo spans.</summary>
    public int Line { get; } = line;

    /// <summary>Zero-based column of the first character (tabs advance to the next multiple of 8, as protoc counts).</summary>
    public int Column { get; } = column;

    /// <summary>Zero-based line of the last character.</summary>
    public int EndLine { get; } = endLine;

    /// <summary>Zero-based column just after the last character.</summary>
    public int EndColumn { get; } = endColumn;

    /// <summary>The comment directly above the token, when a declaration starting here would own it.</summary>
    public string? LeadingComments { get; set; }

    /// <summary>The comment after the token (same line, or the next lines when not attached to what follows).</summary>
    public string? TrailingComments { get; set; }

    /// <summary>Comments before the token that a blank line separates from it.</summary>
    public List<string> DetachedComments { get; } = new();

    public override string ToString() => $"{Text} @{Line + 1}:{Column + 1}";
}
