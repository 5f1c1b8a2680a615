namespace RpcPlugin.Core.Descriptors;

/// <summary>Where a file descriptor came from.</summary>
public enum DescriptorSourceKind
{
    /// <summary>A <c>.proto</c> file parsed in-process (<c>-ProtoFile</c>, or a file one of those imports).</summary>
    ProtoFile,

    /// <summary>A FileDescriptorSet file written by <c>protoc --descriptor_set_out</c> or <c>buf build -o</c>.</summary>
    DescriptorSet,

    /// <summary>The plugin's gRPC server reflection service.</summary>
    Reflection,

    /// <summary>A well-known type file (<c>google/protobuf/*.proto</c>) built into Google.Protobuf, or a protocol built into RpcPlugin (Terraform's tfplugin5/tfplugin6).</summary>
    BuiltIn,
}
