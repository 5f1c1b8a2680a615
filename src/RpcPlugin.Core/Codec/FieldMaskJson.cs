using System.Text;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// A FieldMask's JSON form: its paths joined by commas, each converted from snake_case to lowerCamelCase
/// (<c>["a.b", "c_d"]</c> ⇄ <c>"a.b,cD"</c>).
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

            AppendCamelCase(text, paths[i]);
        }

        return text.ToString();
    }

    public static List<string> Parse(string text)
    {
        var paths = new List<string>();
        if (text.Length == 0)
        {
            return paths;
        }

        foreach (string path in text.Split(','))
        {
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
                    throw new ProtobufCodecException($"The FieldMask path '{path}' contains '_'; JSON paths are lowerCamelCase.");
                }
                else
                {
                    snake.Append(c);
                }
            }

            paths.Add(snake.ToString());
        }

        return paths;
    }

    private static void AppendCamelCase(StringBuilder text, string path)
    {
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (c is >= 'A' and <= 'Z')
            {
                throw new ProtobufCodecException($"The FieldMask path '{path}' has an upper-case letter, which has no JSON form.");
            }

            if (c == '_')
            {
                if (i + 1 >= path.Length || path[i + 1] is < 'a' or > 'z')
                {
                    throw new ProtobufCodecException($"The FieldMask path '{path}' has a '_' not followed by a lower-case letter, which has no JSON form.");
                }

                text.Append((char)(path[++i] - ('a' - 'A')));
                continue;
            }

            text.Append(c);
        }
    }
}
