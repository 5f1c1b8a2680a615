using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// One file descriptor as a user source supplied it, with where it came from so that conflicts and the
/// <c>File</c> users see can name it.
/// </summary>
/// <param name="proto">The file's descriptor.</param>
/// <param name="source">Where it was read: the path of the .proto file or of the descriptor set.</param>
/// <param name="kind">What kind of source that is.</param>
public sealed class DescriptorFile(FileDescriptorProto proto, string source, DescriptorSourceKind kind)
{
    /// <summary>The file's descriptor (its <c>Name</c> is the import name, e.g. <c>test/testplugin.proto</c>).</summary>
    public FileDescriptorProto Proto { get; } = proto ?? throw new ArgumentNullException(nameof(proto));

    /// <summary>Where it was read: the path of the .proto file or of the descriptor set.</summary>
    public string Source { get; } = source ?? throw new ArgumentNullException(nameof(source));

    /// <summary>What kind of source that is.</summary>
    public DescriptorSourceKind Kind { get; } = kind;

    /// <inheritdoc />
    public override string ToString() => $"{Proto.Name} ({Source})";
}
