using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// The google/protobuf/*.proto files Google.Protobuf has built in. Every source's copy of them is replaced by
/// these, so a field of type Timestamp refers to the very descriptor (with its generated parser) that
/// Google.Protobuf's own Timestamp uses.
/// </summary>
internal static class WellKnownFiles
{
    private static readonly Dictionary<string, FileDescriptor> ByName = new FileDescriptor[]
    {
        AnyReflection.Descriptor,
        ApiReflection.Descriptor,
        DescriptorReflection.Descriptor,
        DurationReflection.Descriptor,
        EmptyReflection.Descriptor,
        FieldMaskReflection.Descriptor,
        SourceContextReflection.Descriptor,
        StructReflection.Descriptor,
        TimestampReflection.Descriptor,
        TypeReflection.Descriptor,
        WrappersReflection.Descriptor,
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>All of them.</summary>
    public static IReadOnlyCollection<FileDescriptor> All => ByName.Values;

    /// <summary>The built-in file with this import name, if it is one.</summary>
    public static FileDescriptor? Find(string name) => ByName.GetValueOrDefault(name);
}
