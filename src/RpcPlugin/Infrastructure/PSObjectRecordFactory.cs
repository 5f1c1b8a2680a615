using System.Collections.Generic;
using System.Management.Automation;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Conversion;

namespace RpcPlugin.Commands;

/// <summary>
/// Makes response records as PSCustomObjects whose first type name is <c>RpcPlugin.Message#full.proto.Name</c>,
/// so format files and scripts can tell message types apart.
/// </summary>
internal sealed class PSObjectRecordFactory : IRecordFactory
{
    /// <summary>The type name prefix of every response record.</summary>
    public const string TypeNamePrefix = "RpcPlugin.Message#";

    public static PSObjectRecordFactory Instance { get; } = new();

    public object CreateRecord(MessageDescriptor? type, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        var record = new PSObject();
        record.TypeNames.Insert(0, "RpcPlugin.Message");
        record.TypeNames.Insert(0, TypeNamePrefix + (type?.FullName ?? "google.protobuf.Any"));
        foreach (KeyValuePair<string, object?> property in properties)
        {
            record.Properties.Add(new PSNoteProperty(property.Key, property.Value));
        }

        return record;
    }
}
