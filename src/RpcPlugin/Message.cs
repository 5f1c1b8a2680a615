using System.Text;

namespace RpcPlugin;

/// <summary>
/// Base of the response records: one public field per message field, in proto order, on a type emitted per message
/// shape whose full name is <c>RpcPlugin.Message#&lt;full.proto.Name&gt;</c> (see <c>MessageRecordTypes</c>).
/// PowerShell reads them through its cached .NET adapter, which is several times cheaper than building a
/// PSCustomObject note by note; to scripts they look the same: typed names first in <c>PSObject.TypeNames</c>
/// (<c>RpcPlugin.Message#...</c>, then <c>RpcPlugin.Message</c>), properties that can be read, set and passed back.
/// </summary>
public abstract class Message
{
    /// <summary>The message's fields and values, in proto order (a previous response used as a request reads these).</summary>
    public IEnumerable<KeyValuePair<string, object?>> GetFields() => Output.MessageRecordTypes.Read(this);

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder("@{");
        foreach (KeyValuePair<string, object?> field in GetFields())
        {
            text.Append(text.Length > 2 ? "; " : string.Empty).Append(field.Key).Append('=').Append(field.Value);
        }

        return text.Append('}').ToString();
    }
}
