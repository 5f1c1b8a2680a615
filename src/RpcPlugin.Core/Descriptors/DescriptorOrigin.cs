namespace RpcPlugin.Core.Descriptors;

/// <summary>Where a descriptor of the pool was defined: the file users see as <c>File</c>, and its source.</summary>
/// <param name="FileName">The file's import name as its source gave it, e.g. <c>test/testplugin.proto</c>.</param>
/// <param name="Source">The .proto or descriptor set path, <c>server reflection</c>, or <c>Google.Protobuf</c>.</param>
/// <param name="Kind">What kind of source that is.</param>
public sealed record DescriptorOrigin(string FileName, string Source, DescriptorSourceKind Kind)
{
    /// <inheritdoc />
    public override string ToString() => Kind == DescriptorSourceKind.ProtoFile ? Source : $"{FileName} ({Source})";
}
