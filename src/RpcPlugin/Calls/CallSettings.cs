using System;
using System.Collections;

namespace RpcPlugin.Calls;

/// <summary>How responses are written.</summary>
internal enum OutputForm
{
    /// <summary>PSCustomObjects (RpcPlugin.Message#type).</summary>
    Object,

    /// <summary>Ordered hashtables.</summary>
    Hashtable,

    /// <summary>proto3 JSON text.</summary>
    Json,

    /// <summary>The message bytes.</summary>
    Raw,
}

/// <summary>The per-call options of Invoke-RpcPluginMethod.</summary>
internal sealed record CallSettings(TimeSpan? Timeout, IDictionary? Metadata, OutputForm Form);
