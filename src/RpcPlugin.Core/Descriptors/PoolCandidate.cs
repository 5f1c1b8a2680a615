using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Descriptors;

/// <summary>A file on its way into the pool: a private copy that merging may strip, and what it depends on.</summary>
internal sealed class PoolCandidate
{
    public PoolCandidate(FileDescriptorProto proto, DescriptorOrigin origin, string key)
    {
        Proto = proto;
        Origin = origin;
        Key = key;
    }

    /// <summary>The file's descriptor; symbols another file already provides are removed from it.</summary>
    public FileDescriptorProto Proto { get; }

    public DescriptorOrigin Origin { get; }

    /// <summary>A user source (wins) rather than server reflection (only fills in).</summary>
    public bool IsUser => Origin.Kind != DescriptorSourceKind.Reflection;

    /// <summary>The file's name in the pool: its own, unless another file of that name with other content came first.</summary>
    public string Key { get; }

    /// <summary>Files that now supply symbols removed from this one; they become public imports, so importers still see them.</summary>
    public List<PoolCandidate> Providers { get; } = new();

    /// <summary>This file's imports, in order, once resolved.</summary>
    public List<PoolDependency> Dependencies { get; } = new();

    /// <summary>Why a reflected file was left out (an unknown import, a file that does not link); null while usable.</summary>
    public string? Failure { get; set; }

    public override string ToString() => Origin.ToString();
}

/// <summary>One resolved import: a built-in well-known file, or another candidate.</summary>
internal sealed record PoolDependency(FileDescriptor? BuiltIn, PoolCandidate? File);
