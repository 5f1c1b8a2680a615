using System.Text;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// Splits .proto text into tokens and attaches comments to them the way protoc's tokenizer does
/// (<c>Tokenizer::NextWithComments</c>). protobuf-net.Reflection discards comments while parsing, so this is how
/// descriptions survive. It assumes text that protobuf-net already accepted, so it is lenient about errors.
/// </summary>
internal sealed class ProtoTokenizer
{
    private readonly string text;
    private int position;
    private int line;
    private int column;

    private ProtoTokenizer(string text)
    {
        this.text = text;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            position = 1;
        }
    }

    public static List<ProtoToken> Tokenize(string text)
    {
        var tokenizer = new ProtoTokenizer(text);
        var tokens = new List<ProtoToken>();
        ProtoToken? previous = null;
        while (true)
        {
            var collector = new CommentCollector(canAttachToPrevious: previous is not null);
            ProtoToken? next = tokenizer.NextWithComments(previous, collector);
            if (previous is not null && collector.Trailing is not null)
            {
                previous.TrailingComments = collector.Trailing;
            }

            if (next is null)
            {
                return tokens;
            }

            next.LeadingComments = collector.Leading;
            next.DetachedComments.AddRange(collector.Detached);
            tokens.Add(next);
            previous = next;
        }
    }

    private char Current => position < text.Length ? text[position] : '\0';

    private bool AtEnd => position >= text.Length;

    private ProtoToken? NextWithComments(ProtoToken? previous, CommentCollector collector)
    {
        int trailingCommentEndLine = -1;
        int previousLine = line;
        if (previous is not null)
        {
            // A comment on the previous token's own line belongs to that token.
            SkipSpaces();
            if (LookingAt("//"))
            {
                trailingCommentEndLine = line;
                ReadLineComment(collector.LineCommentBuffer());
                collector.Flush();
            }
            else if (LookingAt("/*"))
            {
                ReadBlockComment(collector.BlockCommentBuffer());
                trailingCommentEndLine = line;
                SkipSpaces();
                if (!TryConsume('\n'))
                {
                    // The next token is on the same line: nobody can tell whose comment this is.
                    collector.Clear();
                    return ReadTokenSkippingComments();
                }

                collector.Flush();
            }
            else if (!TryConsume('\n'))
            {
                return ReadTokenSkippingComments();
            }
        }

        while (true)
        {
            SkipSpaces();
            if (LookingAt("//"))
            {
                ReadLineComment(collector.LineCommentBuffer());
            }
            else if (LookingAt("/*"))
            {
                ReadBlockComment(collector.BlockCommentBuffer());
                SkipSpaces();
                TryConsume('\n');
            }
            else if (TryConsume('\n'))
            {
                // A blank line separates what comes before from the next token.
                collector.Flush();
                collector.DetachFromPrevious();
            }
            else
            {
                ProtoToken? token = ReadToken();
                if (token is null || token.Text is "}" or "]" or ")")
                {
                    // At the end of a scope a comment cannot lead anything.
                    collector.Flush();
                }

                if (token is not null && (token.Line == previousLine || token.Line == trailingCommentEndLine))
                {
                    collector.MaybeDetach();
                }

                return token;
            }
        }
    }

    private ProtoToken? ReadTokenSkippingComments()
    {
        while (true)
        {
            SkipSpaces();
            if (TryConsume('\n'))
            {
                continue;
            }

            if (LookingAt("//"))
            {
                ReadLineComment(new StringBuilder());
            }
            else if (LookingAt("/*"))
            {
                ReadBlockComment(new StringBuilder());
            }
            else
            {
                return ReadToken();
            }
        }
    }

    private ProtoToken? ReadToken()
    {
        if (AtEnd)
        {
            return null;
        }

        int start = position;
        int startLine = line;
        int startColumn = column;
        char c = Current;
        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (char.IsAsciiLetterOrDigit(Current) || Current == '_')
            {
                Advance();
            }
        }
        else if (char.IsAsciiDigit(c) || (c == '.' && position + 1 < text.Length && char.IsAsciiDigit(text[position + 1])))
        {
            ReadNumber();
        }
        else if (c is '"' or '\'')
        {
            ReadString(c);
        }
        else
        {
            Advance();
        }

        return new ProtoToken(text[start..position], startLine, startColumn, line, column);
    }

    private void ReadNumber()
    {
        while (true)
        {
            char c = Current;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_')
            {
                Advance();
            }
            else if (c is '+' or '-' && position > 0 && text[position - 1] is 'e' or 'E' && !IsHexLiteralSoFar())
            {
                Advance();
            }
            else
            {
                return;
            }
        }
    }

    private bool IsHexLiteralSoFar()
    {
        int start = position - 1;
        while (start > 0 && (char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] == '.'))
        {
            start--;
        }

        return position - start > 2 && text[start] == '0' && text[start + 1] is 'x' or 'X';
    }

    private void ReadString(char quote)
    {
        Advance();
        while (!AtEnd && Current != quote && Current != '\n')
        {
            if (Current == '\\' && position + 1 < text.Length && text[position + 1] != '\n')
            {
                Advance();
            }

            Advance();
        }

        if (Current == quote)
        {
            Advance();
        }
    }

    /// <summary>Reads <c>// text</c> up to and including the newline; the comment's text is without the slashes.</summary>
    private void ReadLineComment(StringBuilder content)
    {
        Advance();
        Advance();
        while (!AtEnd && Current != '\n')
        {
            content.Append(Current);
            Advance();
        }

        if (TryConsume('\n'))
        {
            content.Append('\n');
        }
    }

    /// <summary>Reads <c>/* text */</c>; as protoc does, each later line loses its indent and one leading <c>*</c>.</summary>
    private void ReadBlockComment(StringBuilder content)
    {
        Advance();
        Advance();
        while (!AtEnd)
        {
            if (LookingAt("*/"))
            {
                Advance();
                Advance();
                return;
            }

            if (TryConsume('\n'))
            {
                content.Append('\n');
                SkipSpaces();
                if (Current == '*' && !LookingAt("*/"))
                {
                    Advance();
                }

                continue;
            }

            content.Append(Current);
            Advance();
        }
    }

    private void SkipSpaces()
    {
        while (Current is ' ' or '\t' or '\r' or '\v' or '\f')
        {
            Advance();
        }
    }

    private bool LookingAt(string expected) => string.CompareOrdinal(text, position, expected, 0, expected.Length) == 0;

    private bool TryConsume(char expected)
    {
        if (AtEnd || Current != expected)
        {
            return false;
        }

        Advance();
        return true;
    }

    private void Advance()
    {
        char c = text[position++];
        if (c == '\n')
        {
            line++;
            column = 0;
        }
        else if (c == '\t')
        {
            column += 8 - (column % 8);
        }
        else
        {
            column++;
        }
    }
}
