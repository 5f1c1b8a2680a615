namespace RpcPlugin.Core.Codec;

/// <summary>
/// Decodes base64 the one way a hashtable and proto3 JSON both take it: the standard or URL-safe alphabet, padded
/// or not, with the whitespace .NET's own decoder skips (space, tab, CR, LF: MIME and PEM line breaks) ignored.
/// </summary>
internal static class Base64Text
{
    /// <summary>The bytes of base64 text; false when it is not base64.</summary>
    public static bool TryDecode(string text, out byte[] bytes)
    {
        // Padding is worked out from the characters that carry data, so the whitespace is taken out first.
        var normalized = new System.Text.StringBuilder(text.Length + 2);
        foreach (char c in text)
        {
            switch (c)
            {
                case ' ' or '\t' or '\r' or '\n':
                    break;
                case '-':
                    normalized.Append('+');
                    break;
                case '_':
                    normalized.Append('/');
                    break;
                default:
                    normalized.Append(c);
                    break;
            }
        }

        int missing = (4 - (normalized.Length % 4)) % 4;
        if (missing < 3)
        {
            normalized.Append('=', missing); // one character over a block cannot be padded into base64
        }

        byte[] buffer = new byte[(normalized.Length / 4 * 3) + 3];
        if (Convert.TryFromBase64Chars(normalized.ToString(), buffer, out int written))
        {
            bytes = buffer.AsSpan(0, written).ToArray();
            return true;
        }

        bytes = Array.Empty<byte>();
        return false;
    }
}
