namespace RpcPlugin.Core.Codec;

/// <summary>
/// A message could not be decoded, encoded, formatted or parsed: the bytes or JSON are malformed, or a value in a
/// <see cref="DynamicMessage"/> does not fit its field. <see cref="Exception.Message"/> says what was wrong, in
/// which field and (for binary input) at which byte offset.
/// </summary>
public sealed class ProtobufCodecException : Exception
{
    private string fieldPath;

    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What was wrong, as a plain sentence without the field path or offset.</param>
    /// <param name="fieldPath">Where, as <c>outer.inner[3].name</c>; empty for the message itself.</param>
    /// <param name="offset">The byte offset in the binary input, or null when there is none.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ProtobufCodecException(string reason, string fieldPath = "", long? offset = null, Exception? innerException = null)
        : base(reason, innerException)
    {
        Reason = reason ?? throw new ArgumentNullException(nameof(reason));
        this.fieldPath = fieldPath ?? string.Empty;
        Offset = offset;
    }

    /// <summary>What was wrong, without the field path or offset.</summary>
    public string Reason { get; }

    /// <summary>
    /// The path of the field where it went wrong, from the outermost message: field names (proto names for binary
    /// data, the names the JSON used for JSON) joined by dots, with <c>[index]</c> for list elements and
    /// <c>[key]</c> for map entries, e.g. <c>outer.inner[3].name</c>. Empty when the problem is the message itself.
    /// </summary>
    public string FieldPath => fieldPath;

    /// <summary>The byte offset in the binary input where the problem was found; null for JSON and for encoding.</summary>
    public long? Offset { get; }

    /// <inheritdoc />
    public override string Message
    {
        get
        {
            string where = fieldPath.Length == 0 ? string.Empty : $"Field '{fieldPath}': ";
            string at = Offset is { } offset ? $" (at byte offset {offset})" : string.Empty;
            return where + Reason + at;
        }
    }

    /// <summary>
    /// Puts an enclosing field in front of the path as the exception travels out of nested messages, so the
    /// innermost frame need not know where it is (no path bookkeeping on the success path).
    /// </summary>
    internal ProtobufCodecException WithParent(string segment)
    {
        if (segment.Length == 0)
        {
            return this;
        }

        fieldPath = fieldPath.Length == 0 ? segment
            : fieldPath[0] == '[' ? segment + fieldPath
            : segment + "." + fieldPath;
        return this;
    }
}
