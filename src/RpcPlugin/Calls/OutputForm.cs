namespace RpcPlugin.Calls;

/// <summary>How responses are written.</summary>
internal enum OutputForm
{
    /// <summary>Response records (RpcPlugin.Message#type).</summary>
    Object,

    /// <summary>Ordered hashtables.</summary>
    Hashtable,

    /// <summary>proto3 JSON text.</summary>
    Json,

    /// <summary>The message bytes.</summary>
    Raw,
}
