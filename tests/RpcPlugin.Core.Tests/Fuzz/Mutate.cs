using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>Random text, random bytes and mutations of both, shared by the fuzz tests.</summary>
internal static class Mutate
{
    /// <summary>Characters that tend to break parsers: separators, whitespace of every kind, controls, non-ASCII, surrogates.</summary>
    public static readonly string Odd =
        "|:;,.=+-/\\\"'{}[]()<>!?#$%&*@^_`~ \t\r\n\v\f\0\x01\x07\x1B\x7F\u0085\u00A0\u1680\u2000\u2028\u2029\u202E\u3000\uFEFF\uFFFD\uFFFF"
        + "é日本ß١٢３\u0660\u06F1\uD83D\uDE00\uD800\uDC00";

    private const string Ascii = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>Numbers as text: ordinary, zero-padded, signed, huge, fractional, exponent, non-ASCII digits.</summary>
    public static string Number(Random random) => random.Next(16) switch
    {
        0 => "0",
        1 => "1",
        2 => random.Next(100).ToString(CultureInfo.InvariantCulture),
        3 => "-" + random.Next(1, 1000).ToString(CultureInfo.InvariantCulture),
        4 => int.MaxValue.ToString(CultureInfo.InvariantCulture),
        5 => "2147483648",
        6 => "-2147483649",
        7 => "99999999999999999999999999999999999999",
        8 => new string('0', random.Next(1, 40)) + "1",
        9 => "+1",
        10 => "1.0",
        11 => "1e3",
        12 => "0x1",
        13 => random.NextInt64().ToString(CultureInfo.InvariantCulture),
        14 => "١",
        _ => " " + random.Next(10).ToString(CultureInfo.InvariantCulture) + " ",
    };

    /// <summary>Random text of up to <paramref name="maxLength"/> characters from a random mix of alphabets.</summary>
    public static string Text(Random random, int maxLength, bool loneSurrogates = true)
    {
        int length = random.Next(maxLength + 1);
        if (length > 512)
        {
            return Long(random, Text(random, 256, loneSurrogates), length);
        }

        var text = new StringBuilder(length);
        int alphabet = random.Next(5);
        while (text.Length < length)
        {
            switch (random.Next(alphabet == 0 ? 2 : alphabet + 1))
            {
                case 0:
                case 1:
                    text.Append(Ascii[random.Next(Ascii.Length)]);
                    break;
                case 2:
                    AppendOdd(random, text, loneSurrogates);
                    break;
                case 3:
                    text.Append((char)random.Next(0x20));
                    break;
                default:
                    // Any BMP character, surrogates included when allowed.
                    char c = (char)random.Next(0x10000);
                    text.Append(!loneSurrogates && char.IsSurrogate(c) ? 'x' : c);
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>Base64-like text: the alphabet with optional '=' padding, sometimes with characters base64 does not have.</summary>
    public static string Base64ish(Random random, int length)
    {
        if (length > 1_024)
        {
            // Long runs are a random block repeated: cheap to make, and just as long for the parser.
            string block = Base64ish(random, 4 * random.Next(16, 256));
            return Long(random, block.TrimEnd('='), length) + block[block.TrimEnd('=').Length..];
        }

        var text = new StringBuilder(length + 2);
        bool dirty = random.Next(3) == 0;
        for (int i = 0; i < length; i++)
        {
            text.Append(dirty && random.Next(40) == 0 ? "-_=. \n*é"[random.Next(8)] : Base64Alphabet[random.Next(Base64Alphabet.Length)]);
        }

        if (random.Next(2) == 0)
        {
            text.Append('=', random.Next(4));
        }

        return text.ToString();
    }

    /// <summary>Applies 1 to <paramref name="maxEdits"/> character edits, using <paramref name="tokens"/> as a dictionary of likely fragments.</summary>
    public static string TextEdits(Random random, string text, int maxEdits, IReadOnlyList<string> tokens)
    {
        var result = new StringBuilder(text);
        for (int edits = random.Next(1, maxEdits + 1); edits > 0; edits--)
        {
            int at = random.Next(result.Length + 1);
            switch (random.Next(9))
            {
                case 0 when result.Length > 0 && at < result.Length:
                    result[at] = Odd[random.Next(Odd.Length)];
                    break;
                case 1 when result.Length > 0 && at < result.Length:
                    result[at] = (char)(result[at] ^ (1 << random.Next(16)));
                    break;
                case 2:
                    result.Insert(at, Odd[random.Next(Odd.Length)]);
                    break;
                case 3 when at < result.Length:
                    result.Remove(at, Math.Min(result.Length - at, random.Next(1, 12)));
                    break;
                case 4 when at < result.Length:
                    // Duplicate a range.
                    int length = Math.Min(result.Length - at, random.Next(1, 40));
                    result.Insert(at, result.ToString(at, length));
                    break;
                case 5:
                    result.Insert(at, tokens[random.Next(tokens.Count)]);
                    break;
                case 6 when at < result.Length:
                    // Swap two ranges' characters.
                    int other = random.Next(result.Length);
                    (result[at], result[other]) = (result[other], result[at]);
                    break;
                case 7:
                    result.Insert(at, Number(random));
                    break;
                default:
                    result.Length = Math.Min(result.Length, at);
                    break;
            }
        }

        return result.ToString();
    }

    /// <summary>Applies 1 to 4 byte edits: set, bit flip, insert, delete, duplicate, splice from <paramref name="other"/>, interesting values.</summary>
    public static byte[] BytesEdits(Random random, byte[] bytes, byte[] other)
    {
        var result = new List<byte>(bytes);
        for (int edits = random.Next(1, 5); edits > 0; edits--)
        {
            int at = random.Next(result.Count + 1);
            switch (random.Next(9))
            {
                case 0 when at < result.Count:
                    result[at] = (byte)random.Next(256);
                    break;
                case 1 when at < result.Count:
                    result[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    result.Insert(at, (byte)random.Next(256));
                    break;
                case 3 when at < result.Count:
                    result.RemoveRange(at, Math.Min(result.Count - at, random.Next(1, 8)));
                    break;
                case 4 when at < result.Count:
                    int length = Math.Min(result.Count - at, random.Next(1, 32));
                    result.InsertRange(at, result.GetRange(at, length));
                    break;
                case 5 when other.Length > 0:
                    int from = random.Next(other.Length);
                    result.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, random.Next(1, 32))).ToArray());
                    break;
                case 6 when at < result.Count:
                    result[at] = new byte[] { 0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0A, 0x0B, 0x0F }[random.Next(8)];
                    break;
                case 7:
                    result.InsertRange(at, Varint(InterestingLength(random)));
                    break;
                default:
                    if (at < result.Count)
                    {
                        result.RemoveRange(at, result.Count - at);
                    }

                    break;
            }
        }

        return result.ToArray();
    }

    /// <summary>Lengths that make readers allocate, overrun or overflow if they trust them.</summary>
    public static ulong InterestingLength(Random random) => random.Next(12) switch
    {
        0 => 0,
        1 => (ulong)random.Next(1, 16),
        2 => (ulong)random.Next(16, 300),
        3 => 0x7F,
        4 => 0x80,
        5 => int.MaxValue,
        6 => (ulong)int.MaxValue + 1,
        7 => uint.MaxValue,
        8 => (ulong)uint.MaxValue + 1,
        9 => long.MaxValue,
        10 => ulong.MaxValue,
        _ => (ulong)random.NextInt64(),
    };

    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>(10);
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return bytes.ToArray();
    }

    public static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A long string made by repeating <paramref name="block"/>, with a few odd characters sprinkled in.</summary>
    private static string Long(Random random, string block, int length)
    {
        if (block.Length == 0)
        {
            block = "x";
        }

        var text = new StringBuilder(length + block.Length);
        while (text.Length < length)
        {
            text.Append(block);
        }

        text.Length = length;
        for (int i = random.Next(4); i > 0; i--)
        {
            text[random.Next(length)] = Odd[random.Next(Odd.Length)];
        }

        return text.ToString();
    }

    private static void AppendOdd(Random random, StringBuilder text, bool loneSurrogates)
    {
        char c = Odd[random.Next(Odd.Length)];
        if (char.IsHighSurrogate(c) && !loneSurrogates)
        {
            text.Append("\uD83D\uDE00");
        }
        else if (!char.IsSurrogate(c) || loneSurrogates)
        {
            text.Append(c);
        }
    }
}
