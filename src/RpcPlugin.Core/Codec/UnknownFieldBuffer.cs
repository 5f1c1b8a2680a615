namespace RpcPlugin.Core.Codec;

/// <summary>
/// Collects the raw bytes of unknown fields while a message is decoded; allocates only when there is one.
/// </summary>
internal struct UnknownFieldBuffer
{
    private byte[]? bytes;
    private int length;

    public void Append(ReadOnlySpan<byte> field)
    {
        if (bytes is null || bytes.Length - length < field.Length)
        {
            Array.Resize(ref bytes, Math.Max(length + field.Length, Math.Max(16, (bytes?.Length ?? 0) * 2)));
        }

        field.CopyTo(bytes.AsSpan(length));
        length += field.Length;
    }

    /// <summary>Appends what was collected to the message's unknown fields (kept from an earlier merge).</summary>
    public readonly void FlushTo(DynamicMessage message)
    {
        if (bytes is null)
        {
            return;
        }

        byte[]? existing = message.UnknownFields;
        byte[] result = new byte[(existing?.Length ?? 0) + length];
        existing?.CopyTo(result, 0);
        bytes.AsSpan(0, length).CopyTo(result.AsSpan(existing?.Length ?? 0));
        message.UnknownFields = result;
    }
}
