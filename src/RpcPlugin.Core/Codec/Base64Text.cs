namespace RpcPlugin.Core.Codec;

/// <summary>
/// Reads base64 as gRPC and proto3 JSON write it, the one rule for bytes fields (hashtable and JSON) and -bin
/// metadata: the standard or the URL-safe alphabet, padded or not, with white space (line breaks of wrapped text,
/// MIME and PEM) ignored. gRPC itself sends -bin metadata unpadded.
/// </summary>
internal static class Base64Text
{
    /// <summary>The bytes <paramref name="text"/> holds; false when it is not base64 in any of the accepted forms.</summary>
    public static bool TryDecode(string text, out byte[] bytes)
    {
        var normalized = new System.Text.StringBuilder(text.Length + 2);
        foreach (char c in text)
        {
            // Only the white space .NET's own decoder skips: a no-break space or other Unicode spaces mean the text
            // is not what it seems (pasted from a rich-text page), not base64.
            if (c is not (' ' or '\t' or '\r' or '\n'))
            {
                normalized.Append(c switch { '-' => '+', '_' => '/', _ => c });
            }
        }

        // Padding restored only where it was left out: text whose length is 1 more than a multiple of 4 is never base64.
        if (normalized.Length % 4 is 2 or 3)
        {
            normalized.Append('=', 4 - (normalized.Length % 4));
        }

        byte[] buffer = new byte[(normalized.Length / 4 * 3) + 3];
        if (normalized.Length % 4 == 0 && Convert.TryFromBase64String(normalized.ToString(), buffer, out int written))
        {
            bytes = buffer.AsSpan(0, written).ToArray();
            return true;
        }

        bytes = Array.Empty<byte>();
        return false;
    }
}
