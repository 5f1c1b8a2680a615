using System.Collections;
using RpcPlugin.Core.Conversion;

namespace RpcPlugin.Core.Invocation;

/// <summary>How a <see cref="DynamicCall"/> hands responses back.</summary>
public enum ResponseForm
{
    /// <summary>Decoded, as <see cref="Codec.DynamicMessage"/>.</summary>
    Decoded,

    /// <summary>The message bytes as they arrived (unknown fields and all), as byte[].</summary>
    Raw,
}

/// <summary>The settings shared by the calls a <see cref="DynamicCall"/> makes.</summary>
public sealed class DynamicCallOptions
{
    /// <summary>The deadline of each call, from its start; null: none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Request metadata (headers): text values, byte[] for keys ending in <c>-bin</c>. Checked when the call is created.</summary>
    public IDictionary? Metadata { get; init; }

    /// <summary>Sees through the host's wrapper objects in <see cref="Metadata"/>.</summary>
    public IValueAdapter Adapter { get; init; } = PlainValueAdapter.Instance;

    /// <summary>Whether responses are decoded or left as bytes.</summary>
    public ResponseForm Form { get; init; } = ResponseForm.Decoded;

    /// <summary>Whether to keep the headers and trailers of each call in <see cref="DynamicCall.LastMetadata"/>.</summary>
    public bool CaptureMetadata { get; init; }

    /// <summary>
    /// Whether to count and time each call (requests, responses, sizes, status, elapsed time, metadata) in
    /// <see cref="DynamicCall.LastReport"/>. Off by default: sizing the messages costs a walk of each.
    /// </summary>
    public bool Report { get; init; }

    /// <summary>
    /// Makes the host's objects for the rich error details of a failed call (<c>grpc-status-details-bin</c>); null: ordered
    /// dictionaries.
    /// </summary>
    public IRecordFactory? DetailFactory { get; init; }

    /// <summary>Whether the module itself makes these calls (a provider's schema): they ignore the user's message size limit.</summary>
    internal bool Internal { get; init; }
}
