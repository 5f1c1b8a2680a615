using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading.Tasks;
using Google.Protobuf;
using Grpc.Core;

namespace RpcPlugin.Examples.Kv;

/// <summary>The <c>proto.KV</c> service: values kept in memory for as long as the plugin runs.</summary>
public sealed class KvService : KV.KVBase
{
    private readonly ConcurrentDictionary<string, ByteString> _values = new();

    /// <summary>Returns the value stored under the key, or an empty value.</summary>
    public override Task<GetResponse> Get(GetRequest request, ServerCallContext context) =>
        Task.FromResult(new GetResponse { Value = _values.GetValueOrDefault(request.Key, ByteString.Empty) });

    /// <summary>Stores the value under the key, replacing any earlier one.</summary>
    public override Task<Empty> Put(PutRequest request, ServerCallContext context)
    {
        _values[request.Key] = request.Value;
        return Task.FromResult(new Empty());
    }
}
