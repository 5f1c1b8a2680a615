using System.Collections.Specialized;

namespace RpcPlugin.Core.Invocation;

/// <summary>
/// The metadata a call received: its response headers (null when the plugin sent none before failing, e.g. a
/// trailers-only answer) and its trailers. Binary values are byte[]; a repeated key holds an array.
/// </summary>
/// <param name="Headers">The response headers.</param>
/// <param name="Trailers">The trailers.</param>
public sealed record CallMetadata(OrderedDictionary? Headers, OrderedDictionary Trailers);
