using Google.Protobuf.Reflection;
using RpcPlugin.Core.Conversion;

namespace RpcPlugin.Output;

/// <summary>
/// Makes response records whose first type name is <c>RpcPlugin.Message#full.proto.Name</c> (then
/// <c>RpcPlugin.Message</c>), so format files and scripts can tell message types apart. They are instances of types
/// emitted per message shape (<see cref="MessageRecordTypes"/>), not PSCustomObjects built note by note, which cost
/// several microseconds per message and dominated streaming.
/// </summary>
internal sealed class PSObjectRecordFactory : IRecordFactory
{
    public static PSObjectRecordFactory Instance { get; } = new();

    public object CreateRecord(MessageDescriptor? type, IReadOnlyList<KeyValuePair<string, object?>> properties) =>
        MessageRecordTypes.Create(type, properties);
}
