using System.Collections.Specialized;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Conversion;

/// <summary>Makes the host's record object for a message (in PowerShell an object of a type emitted per message shape, RpcPlugin.Message#name; an ordered dictionary otherwise).</summary>
public interface IRecordFactory
{
    /// <summary>Creates a record with the given properties, in order. <paramref name="type"/> is null for an Any's synthetic record.</summary>
    object CreateRecord(MessageDescriptor? type, IReadOnlyList<KeyValuePair<string, object?>> properties);
}

/// <summary>Records as ordered dictionaries (PowerShell's <c>[ordered]@{}</c>, <c>-AsHashtable</c>).</summary>
public sealed class DictionaryRecordFactory : IRecordFactory
{
    /// <summary>The one instance.</summary>
    public static DictionaryRecordFactory Instance { get; } = new();

    /// <inheritdoc />
    public object CreateRecord(MessageDescriptor? type, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        var record = new OrderedDictionary(properties.Count);
        foreach (KeyValuePair<string, object?> property in properties)
        {
            record[property.Key] = property.Value;
        }

        return record;
    }
}
