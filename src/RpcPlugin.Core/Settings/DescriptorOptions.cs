namespace RpcPlugin.Core.Settings;

/// <summary>
/// The descriptor sources of a session: .proto files and descriptor sets the user gives (which win), and server
/// reflection (which fills in what they lack). Paths are absolute.
/// </summary>
public sealed class DescriptorOptions
{
    /// <summary>.proto files to parse in-process.</summary>
    public IReadOnlyList<string> ProtoFiles { get; init; } = Array.Empty<string>();

    /// <summary>Directories imports are resolved against (each .proto file's own directory is searched too).</summary>
    public IReadOnlyList<string> ImportPaths { get; init; } = Array.Empty<string>();

    /// <summary>FileDescriptorSet files (<c>protoc --descriptor_set_out --include_imports</c>, <c>buf build -o</c>).</summary>
    public IReadOnlyList<string> DescriptorSets { get; init; } = Array.Empty<string>();

    /// <summary>Whether to ask the plugin for its descriptors by gRPC server reflection.</summary>
    public bool UseReflection { get; init; } = true;

    /// <summary>Whether the user gave any source of their own.</summary>
    public bool HasUserSources => ProtoFiles.Count > 0 || DescriptorSets.Count > 0;
}
