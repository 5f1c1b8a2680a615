using System.Collections;
using System.Globalization;
using System.Management.Automation.Language;
using System.Text;

namespace RpcPlugin.Completers;

/// <summary>A request skeleton (<see cref="Core.Invocation.MessageTemplate"/>) written as a PowerShell hashtable literal on one line.</summary>
internal static class RequestLiteral
{
    public static string Of(IDictionary skeleton)
    {
        var text = new StringBuilder();
        Write(text, skeleton);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("$null");
                break;
            case string s:
                text.Append('\'').Append(CodeGeneration.EscapeSingleQuotedStringContent(s)).Append('\'');
                break;
            case bool b:
                text.Append(b ? "$true" : "$false");
                break;
            case byte[]:
                text.Append("[byte[]]@()");
                break;
            case IDictionary dictionary:
                text.Append("@{");
                bool first = true;
                foreach (DictionaryEntry entry in dictionary)
                {
                    text.Append(first ? " " : "; ").Append(Key(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty)).Append(" = ");
                    Write(text, entry.Value);
                    first = false;
                }

                text.Append(first ? "}" : " }");
                break;
            case IEnumerable items:
                text.Append("@(");
                text.AppendJoin(", ", items.Cast<object?>().Select(item =>
                {
                    var part = new StringBuilder();
                    Write(part, item);
                    return part.ToString();
                }));
                text.Append(')');
                break;
            case IFormattable number:
                text.Append(number.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                text.Append('\'').Append(CodeGeneration.EscapeSingleQuotedStringContent(value.ToString() ?? string.Empty)).Append('\'');
                break;
        }
    }

    private static string Key(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : "'" + CodeGeneration.EscapeSingleQuotedStringContent(name) + "'";
}
