using System.Text;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// A FieldMask's JSON form: its paths joined by commas, each converted from snake_case to lowerCamelCase
/// (<c>["a.b", "c_d"]</c> ⇄ <c>"a.b,cD"</c>). Both ways, every path must be a dotted name whose JSON spelling reads
/// back to the same path (as protobuf-go requires): no empty path, no upper-case letter in a path, no '_' before
/// anything but a lower-case letter.
/// </summary>
internal static class FieldMaskJson
{
    public static string Format(List<string> paths)
    {
        var text = new StringBuilder();
        for (int i = 0; i < paths.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            CheckPath(paths[i]);
            AppendCamelCase(text, paths[i]);
        }

        return text.ToString();
    }

    /// <summary>
    /// The paths of a FieldMask's JSON text. <paramref name="lenient"/> (text a person typed) also allows spaces
    /// around each path.
    /// </summary>
    public static List<string> Parse(string text, bool lenient = false)
    {
        var paths = new List<string>();
        if ((lenient ? text.Trim() : text).Length == 0)
        {
            return paths;
        }

        foreach (string given in text.Split(','))
        {
            string path = lenient ? given.Trim() : given;
            if (path.Length == 0)
            {
                throw new ProtobufCodecException($"The FieldMask '{text}' has an empty path; separate paths with one comma each ('a.b,c').");
            }

            var snake = new StringBuilder(path.Length + 4);
            foreach (char c in path)
            {
                if (c is >= 'A' and <= 'Z')
                {
                    snake.Append('_').Append((char)(c + ('a' - 'A')));
                }
                else if (c == '_')
                {
                    // An underscore has no lowerCamelCase spelling, so it would not survive a round trip.
                    throw new ProtobufCodecException($"The FieldMask path '{path}' contains '_'; JSON paths are lowerCamelCase ('fooBar' for the field foo_bar).");
                }
                else
                {
                    snake.Append(c);
                }
            }

            CheckPath(snake.ToString(), path);
            paths.Add(snake.ToString());
        }

        return paths;
    }

    /// <summary>
    /// Throws unless <paramref name="path"/>, as a FieldMask holds it, is dotted field names that JSON can spell:
    /// letters, digits and '_', each name starting with a letter or '_', lower case, '_' only before a lower-case
    /// letter. <paramref name="given"/> is the text the path came from, when it differs.
    /// </summary>
    public static void CheckPath(string path, string? given = null)
    {
        string shown = given ?? path;
        if (path.Length == 0)
        {
            throw new ProtobufCodecException("A FieldMask path is empty; each path names a field ('a.b').");
        }

        foreach (string name in path.Split('.'))
        {
            if (name.Length == 0 || char.IsAsciiDigit(name[0]))
            {
                throw new ProtobufCodecException($"The FieldMask path '{shown}' is not dotted field names ('a.b_c'): a name is empty or starts with a digit.");
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c is >= 'A' and <= 'Z')
                {
                    throw new ProtobufCodecException($"The FieldMask path '{shown}' has an upper-case letter, which has no JSON form; paths are snake_case field names ('foo_bar').");
                }

                if (c == '_' && (i + 1 >= name.Length || name[i + 1] is < 'a' or > 'z'))
                {
                    throw new ProtobufCodecException($"The FieldMask path '{shown}' has a '_' not followed by a lower-case letter, which has no JSON form.");
                }

                if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '_')
                {
                    throw new ProtobufCodecException($"The FieldMask path '{shown}' has '{c}', which no field name has; paths are dotted field names ('a.b_c').");
                }
            }
        }
    }

    private static void AppendCamelCase(StringBuilder text, string path)
    {
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (c == '_')
            {
                text.Append((char)(path[++i] - ('a' - 'A')));
                continue;
            }

            text.Append(c);
        }
    }
}
