using System.Collections.Specialized;

namespace RpcPlugin.Core.Terraform;

/// <summary>The ordered dictionaries decoded objects and maps become, and the key order of maps.</summary>
internal static class CtyDictionaries
{
    /// <summary>
    /// An OrderedDictionary whose keys match case-insensitively, like PowerShell's <c>[ordered]@{}</c>, so that
    /// <c>$state.Name</c> finds <c>name</c>; case-sensitive when two keys differ only in case (cty allows that).
    /// </summary>
    public static OrderedDictionary Create(IReadOnlyList<string> keys)
    {
        var seen = new HashSet<string>(keys.Count, StringComparer.OrdinalIgnoreCase);
        bool distinct = true;
        foreach (string key in keys)
        {
            distinct &= seen.Add(key);
        }

        return new OrderedDictionary(keys.Count, distinct ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
    }

    /// <summary>cty's order of map keys: by Unicode code point (Go compares strings as UTF-8 bytes).</summary>
    public static int CompareKeys(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            int x = CodePoint(a, i);
            int y = CodePoint(b, j);
            if (x != y)
            {
                return x < y ? -1 : 1;
            }

            i += x > 0xFFFF ? 2 : 1;
            j += y > 0xFFFF ? 2 : 1;
        }

        return (i < a.Length).CompareTo(j < b.Length);
    }

    private static int CodePoint(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? char.ConvertToUtf32(text[index], text[index + 1])
            : text[index];
}
