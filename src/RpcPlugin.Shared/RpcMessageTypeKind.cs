namespace RpcPlugin;

/// <summary>What a protobuf type described by Get-RpcPluginMessageType is.</summary>
public enum RpcMessageTypeKind
{
    /// <summary>A message: fields with numbers and types.</summary>
    Message,

    /// <summary>An enum: named numbers.</summary>
    Enum,
}
