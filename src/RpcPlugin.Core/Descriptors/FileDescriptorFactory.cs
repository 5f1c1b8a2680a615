using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// Builds one FileDescriptor on top of already built dependencies. <c>FileDescriptor.BuildFromByteStrings</c>
/// would rebuild the well-known types from bytes too, giving a second Timestamp descriptor unrelated to
/// Google.Protobuf's; <c>FromGeneratedCode</c> takes built dependencies. It is given a "generated code" shape with
/// no CLR types or property names, which is exactly the dynamic case: descriptors without accessors.
/// </summary>
internal static class FileDescriptorFactory
{
    /// <summary>
    /// Building a file walks its dependencies' extensions through lazily filled dictionaries inside
    /// Google.Protobuf, and the well-known files are shared by every pool in the process: two sessions loading
    /// descriptors at once corrupted them. Builds take turns; each is short.
    /// </summary>
    private static readonly object BuildLock = new();

    /// <exception cref="DescriptorValidationException">The file does not link (unknown type, duplicate symbol...).</exception>
    /// <exception cref="ArgumentException">Google.Protobuf's wrapper around the above for files built this way.</exception>
    public static FileDescriptor Build(FileDescriptorProto proto, IReadOnlyList<FileDescriptor> dependencies)
    {
        var shape = new GeneratedClrTypeInfo(
            new Type[proto.EnumType.Count],
            extensions: null,
            proto.MessageType.Select(Shape).ToArray());
        var bytes = proto.ToByteArray();
        lock (BuildLock)
        {
            return FileDescriptor.FromGeneratedCode(bytes, dependencies.ToArray(), shape);
        }
    }

    /// <summary>Arrays of the right lengths, all null: Google.Protobuf indexes them per field, oneof, enum and nested type.</summary>
    private static GeneratedClrTypeInfo Shape(DescriptorProto message) => new(
        clrType: null,
        parser: null,
        propertyNames: new string[message.Field.Count],
        oneofNames: new string[message.OneofDecl.Count],
        nestedEnums: new Type[message.EnumType.Count],
        extensions: null,
        nestedTypes: message.NestedType.Select(Shape).ToArray());
}
