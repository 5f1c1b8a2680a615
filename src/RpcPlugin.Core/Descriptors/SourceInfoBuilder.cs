using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// Rebuilds the SourceCodeInfo of a parsed .proto file (comments and spans of messages, fields, oneofs, enums,
/// enum values, services and methods) from its text. Declarations are matched to the descriptor by name, so a
/// path always points at the element Google.Protobuf will look up; whatever is not recognised is skipped, never
/// guessed.
/// </summary>
internal sealed class SourceInfoBuilder
{
    // Field numbers in descriptor.proto, which SourceCodeInfo paths are made of.
    private const int FileMessages = 4;
    private const int FileEnums = 5;
    private const int FileServices = 6;
    private const int MessageFields = 2;
    private const int MessageNested = 3;
    private const int MessageEnums = 4;
    private const int MessageOneofs = 8;
    private const int EnumValues = 2;
    private const int ServiceMethods = 2;

    private readonly List<ProtoToken> tokens;
    private readonly SourceCodeInfo info = new();
    private int index;

    private SourceInfoBuilder(List<ProtoToken> tokens)
    {
        this.tokens = tokens;
    }

    public static SourceCodeInfo Build(string text, FileDescriptorProto file)
    {
        var builder = new SourceInfoBuilder(ProtoTokenizer.Tokenize(text));
        builder.WalkFile(file);
        return builder.info;
    }

    private bool AtEnd => index >= tokens.Count;

    private ProtoToken Current => tokens[index];

    private void WalkFile(FileDescriptorProto file)
    {
        int[] root = Array.Empty<int>();
        while (!AtEnd)
        {
            switch (Current.Text)
            {
                case "message":
                    Block(file.MessageType, m => m.Name, root, FileMessages, WalkMessage);
                    break;
                case "enum":
                    Block(file.EnumType, e => e.Name, root, FileEnums, WalkEnum);
                    break;
                case "service":
                    Block(file.Service, s => s.Name, root, FileServices, WalkService);
                    break;
                case "}":
                    index++;
                    break;
                default:
                    SkipStatement();
                    break;
            }
        }
    }

    /// <summary>Walks a message (or group, or oneof) body up to and including its closing brace.</summary>
    private void WalkMessage(DescriptorProto message, int[] path)
    {
        while (!AtEnd && Current.Text != "}")
        {
            switch (Current.Text)
            {
                case "message":
                    Block(message.NestedType, m => m.Name, path, MessageNested, WalkMessage);
                    break;
                case "enum":
                    Block(message.EnumType, e => e.Name, path, MessageEnums, WalkEnum);
                    break;
                case "oneof":
                    Block(message.OneofDecl, o => o.Name, path, MessageOneofs, (_, _) => WalkMessage(message, path));
                    break;
                case "extend" or "option" or "reserved" or "extensions" or ";":
                    SkipStatement();
                    break;
                default:
                    Field(message, path);
                    break;
            }
        }

        index++;
    }

    private void Field(DescriptorProto message, int[] path)
    {
        ProtoToken start = Current;
        int end = FindTerminator(index);
        int equals = FindAtDepthZero(index, end, "=");
        if (equals <= index)
        {
            SkipStatement();
            return;
        }

        string name = tokens[equals - 1].Text;
        bool isGroup = equals - 2 >= index && tokens[equals - 2].Text == "group" && tokens[end].Text == "{";
        if (!isGroup)
        {
            index = end;
            SkipStatement();
            Add(path, MessageFields, IndexOf(message.Field, f => f.Name, name), start, tokens[end], tokens[end]);
            return;
        }

        // A group is a field (named in lower case) and a nested message sharing one declaration.
        int fieldIndex = IndexOf(message.Field, f => f.Name, name.ToLowerInvariant());
        int nestedIndex = IndexOf(message.NestedType, m => m.Name, name);
        index = end + 1;
        if (nestedIndex >= 0)
        {
            WalkMessage(message.NestedType[nestedIndex], Append(path, MessageNested, nestedIndex));
        }
        else
        {
            SkipBlockBody();
        }

        // protoc gives the comments to the nested message only; the field just gets its span.
        ProtoToken close = tokens[index - 1];
        Add(path, MessageFields, fieldIndex, start, close, trailingFrom: null);
        Add(path, MessageNested, nestedIndex, start, close, tokens[end]);
    }

    private void WalkEnum(EnumDescriptorProto @enum, int[] path)
    {
        while (!AtEnd && Current.Text != "}")
        {
            ProtoToken start = Current;
            if (start.Text is "option" or "reserved" or ";")
            {
                SkipStatement();
                continue;
            }

            int end = FindTerminator(index);
            index = end;
            SkipStatement();
            Add(path, EnumValues, IndexOf(@enum.Value, v => v.Name, start.Text), start, tokens[end], tokens[end]);
        }

        index++;
    }

    private void WalkService(ServiceDescriptorProto service, int[] path)
    {
        while (!AtEnd && Current.Text != "}")
        {
            ProtoToken start = Current;
            if (start.Text != "rpc" || index + 1 >= tokens.Count)
            {
                SkipStatement();
                continue;
            }

            string name = tokens[index + 1].Text;
            int end = FindTerminator(index);
            index = end;
            SkipStatement();
            Add(path, ServiceMethods, IndexOf(service.Method, m => m.Name, name), start, tokens[index - 1], tokens[end]);
        }

        index++;
    }

    /// <summary>A <c>keyword Name { ... }</c> declaration whose element is found by name in <paramref name="list"/>.</summary>
    private void Block<T>(RepeatedField<T> list, Func<T, string> nameOf, int[] parent, int field, Action<T, int[]> body)
    {
        ProtoToken start = Current;
        string name = index + 1 < tokens.Count ? tokens[index + 1].Text : string.Empty;
        int open = FindTerminator(index);
        int found = IndexOf(list, nameOf, name);
        index = open + 1;
        if (found >= 0 && tokens[open].Text == "{")
        {
            body(list[found], Append(parent, field, found));
        }
        else if (tokens[open].Text == "{")
        {
            SkipBlockBody();
        }

        Add(parent, field, found, start, tokens[Math.Min(index, tokens.Count) - 1], tokens[open]);
    }

    /// <summary>Records a declaration's span and comments; <paramref name="trailingFrom"/> null records the span alone.</summary>
    private void Add(int[] parent, int field, int found, ProtoToken start, ProtoToken end, ProtoToken? trailingFrom)
    {
        if (found < 0)
        {
            return;
        }

        var location = new SourceCodeInfo.Types.Location();
        location.Path.AddRange(Append(parent, field, found));
        location.Span.Add(start.Line);
        location.Span.Add(start.Column);
        if (end.EndLine != start.Line)
        {
            location.Span.Add(end.EndLine);
        }

        location.Span.Add(end.EndColumn);
        info.Location.Add(location);
        if (trailingFrom is null)
        {
            return;
        }

        if (start.LeadingComments is not null)
        {
            location.LeadingComments = start.LeadingComments;
        }

        if (trailingFrom.TrailingComments is not null)
        {
            location.TrailingComments = trailingFrom.TrailingComments;
        }

        location.LeadingDetachedComments.AddRange(start.DetachedComments);
    }

    /// <summary>Moves past one statement: up to its <c>;</c>, or past the block it opens (and a <c>;</c> after an aggregate option value).</summary>
    private void SkipStatement()
    {
        int end = FindTerminator(index);
        index = end + 1;
        if (tokens[end].Text != "{")
        {
            return;
        }

        SkipBlockBody();
        if (!AtEnd && Current.Text == ";" && tokens[end - 1].Text == "=")
        {
            index++;
        }
    }

    /// <summary>Moves past the closing brace matching an opening brace just consumed.</summary>
    private void SkipBlockBody()
    {
        int depth = 1;
        while (!AtEnd && depth > 0)
        {
            depth += Current.Text switch { "{" => 1, "}" => -1, _ => 0 };
            index++;
        }
    }

    /// <summary>The first <c>;</c> or <c>{</c> (or stray <c>}</c>) outside brackets, parentheses and aggregate values.</summary>
    private int FindTerminator(int from)
    {
        int depth = 0;
        for (int i = from; i < tokens.Count; i++)
        {
            string text = tokens[i].Text;
            if (depth == 0 && (text is ";" or "{" || (text == "}" && i > from)))
            {
                return i;
            }

            depth += text switch { "(" or "[" or "{" => 1, ")" or "]" or "}" => -1, _ => 0 };
        }

        return tokens.Count - 1;
    }

    private int FindAtDepthZero(int from, int to, string wanted)
    {
        int depth = 0;
        for (int i = from; i < to; i++)
        {
            string text = tokens[i].Text;
            if (depth == 0 && text == wanted)
            {
                return i;
            }

            depth += text switch { "(" or "[" or "{" or "<" => 1, ")" or "]" or "}" or ">" => -1, _ => 0 };
        }

        return -1;
    }

    private static int IndexOf<T>(RepeatedField<T> list, Func<T, string> nameOf, string name)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (nameOf(list[i]) == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static int[] Append(int[] path, int field, int found)
    {
        var result = new int[path.Length + 2];
        path.CopyTo(result, 0);
        result[^2] = field;
        result[^1] = found;
        return result;
    }
}
