using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Descriptors;

/// <summary>What a plugin's gRPC server reflection described.</summary>
public sealed class ReflectionResult
{
    internal ReflectionResult(string? serviceName, IReadOnlyList<string> services, IReadOnlyList<FileDescriptorProto> files, IReadOnlyList<string> errors)
    {
        ServiceName = serviceName;
        Services = services;
        Files = files;
        Errors = errors;
    }

    /// <summary>The answer for a server without reflection (both v1 and v1alpha UNIMPLEMENTED): not an error, just nothing.</summary>
    public static ReflectionResult NotSupported { get; } =
        new(null, Array.Empty<string>(), Array.Empty<FileDescriptorProto>(), Array.Empty<string>());

    /// <summary>Whether the server has reflection at all.</summary>
    public bool IsSupported => ServiceName is not null;

    /// <summary>The reflection service that answered: <c>grpc.reflection.v1.ServerReflection</c> or <c>grpc.reflection.v1alpha.ServerReflection</c>.</summary>
    public string? ServiceName { get; }

    /// <summary>The services the server listed, internal ones included, in its order.</summary>
    public IReadOnlyList<string> Services { get; }

    /// <summary>The files describing them and all their imports, each once, in the order they arrived.</summary>
    public IReadOnlyList<FileDescriptorProto> Files { get; }

    /// <summary>Requests the server answered with an error (e.g. a listed service it cannot describe), one line each.</summary>
    public IReadOnlyList<string> Errors { get; }
}
