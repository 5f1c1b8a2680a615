using System;
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
}
