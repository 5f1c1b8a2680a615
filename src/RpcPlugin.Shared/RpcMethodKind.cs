namespace RpcPlugin;

/// <summary>How a gRPC method exchanges messages.</summary>
public enum RpcMethodKind
{
    /// <summary>One request, one response.</summary>
    Unary,

    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming,

    /// <summary>A stream of requests, one response.</summary>
    ClientStreaming,

    /// <summary>Streams both ways at once (bidi).</summary>
    DuplexStreaming,
}
