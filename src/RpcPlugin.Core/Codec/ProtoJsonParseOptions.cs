using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>How <see cref="ProtoJson.Parse(MessageDescriptor, string, Func{string, MessageDescriptor?}?, ProtoJsonParseOptions?)"/> reads JSON.</summary>
public sealed class ProtoJsonParseOptions
{
    /// <summary>Strict parsing: unknown field names and enum value names are errors.</summary>
    public static ProtoJsonParseOptions Default { get; } = new();

    /// <summary>Skip unknown field names and unknown enum value names instead of failing.</summary>
    public bool IgnoreUnknownFields { get; init; }

    /// <summary>How deeply messages may nest.</summary>
    public int RecursionLimit { get; init; } = DynamicCodec.DefaultRecursionLimit;
}
