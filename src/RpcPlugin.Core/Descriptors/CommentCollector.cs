using System.Text;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// Sorts the comments between two tokens into the previous token's trailing comment, detached comments and the
/// next token's leading comment. It mirrors protoc's <c>CommentCollector</c> (io/tokenizer.cc) so that the
/// descriptions users see are the ones protoc-based tools show.
/// </summary>
internal sealed class CommentCollector
{
    private readonly StringBuilder buffer = new();
    private bool hasComment;
    private bool isLineComment;
    private bool canAttachToPrevious;
    private int count;

    public CommentCollector(bool canAttachToPrevious)
    {
        this.canAttachToPrevious = canAttachToPrevious;
    }

    public string? Trailing { get; private set; }

    public List<string> Detached { get; } = new();

    /// <summary>What is still in the buffer when the next token arrives: that token's leading comment.</summary>
    public string? Leading => hasComment ? buffer.ToString() : null;

    /// <summary>Consecutive line comments combine into one comment; a block comment ends the previous one.</summary>
    public StringBuilder LineCommentBuffer()
    {
        if (hasComment && !isLineComment)
        {
            Flush();
        }

        hasComment = true;
        isLineComment = true;
        return buffer;
    }

    public StringBuilder BlockCommentBuffer()
    {
        if (hasComment)
        {
            Flush();
        }

        hasComment = true;
        isLineComment = false;
        return buffer;
    }

    public void Clear()
    {
        buffer.Clear();
        hasComment = false;
    }

    /// <summary>The buffered comment is complete and does not belong to the next token.</summary>
    public void Flush()
    {
        if (!hasComment)
        {
            return;
        }

        if (canAttachToPrevious)
        {
            // Attaching ends canAttachToPrevious, so there is at most one trailing comment.
            Trailing = buffer.ToString();
            canAttachToPrevious = false;
        }
        else
        {
            Detached.Add(buffer.ToString());
        }

        Clear();
        count++;
    }

    public void DetachFromPrevious() => canAttachToPrevious = false;

    /// <summary>
    /// The next token shares a line with the previous one (or with the end of its trailing comment): a single
    /// comment in between belongs to neither, so protoc detaches it.
    /// </summary>
    public void MaybeDetach()
    {
        int comments = count + (hasComment ? 1 : 0);
        if (comments != 1)
        {
            return;
        }

        if (Trailing is not null)
        {
            Detached.Insert(0, Trailing);
            Trailing = null;
        }

        canAttachToPrevious = false;
        Flush();
    }
}
