using System.Collections.Generic;
using System.Linq;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>Comparisons of descriptors from different sources, which differ only in what does not define anything.</summary>
internal static class DescriptorAssert
{
    /// <summary>
    /// The same messages, enums and services. json_name is dropped first (protoc writes it into sets, the
    /// descriptors embedded in generated code do not) and so is SourceCodeInfo.
    /// </summary>
    public static void SameDefinitions(FileDescriptorProto expected, FileDescriptorProto actual)
    {
        var a = Definitions(expected);
        var b = Definitions(actual);
        Assert.Equal(a.MessageType.Select(m => m.Name), b.MessageType.Select(m => m.Name));
        for (int i = 0; i < a.MessageType.Count; i++)
        {
            Assert.Equal(a.MessageType[i], b.MessageType[i]);
        }

        Assert.Equal(a.EnumType, b.EnumType);
        Assert.Equal(a.Service, b.Service);
    }

    /// <summary>Every message, field, oneof, enum, enum value, service and method of a file, by full name.</summary>
    public static IEnumerable<IDescriptor> AllDescriptors(FileDescriptor file) =>
        file.MessageTypes.SelectMany(AllDescriptors)
            .Concat(file.EnumTypes.SelectMany(AllDescriptors))
            .Concat(file.Services.SelectMany(s => new IDescriptor[] { s }.Concat(s.Methods)));

    private static IEnumerable<IDescriptor> AllDescriptors(MessageDescriptor message) =>
        new IDescriptor[] { message }
            .Concat(message.Fields.InDeclarationOrder())
            .Concat(message.Oneofs)
            .Concat(message.NestedTypes.SelectMany(AllDescriptors))
            .Concat(message.EnumTypes.SelectMany(AllDescriptors));

    private static IEnumerable<IDescriptor> AllDescriptors(EnumDescriptor @enum) =>
        new IDescriptor[] { @enum }.Concat(@enum.Values);

    private static FileDescriptorProto Definitions(FileDescriptorProto file)
    {
        var copy = file.Clone();
        copy.SourceCodeInfo = null;
        foreach (var message in copy.MessageType)
        {
            DropJsonNames(message);
        }

        return copy;
    }

    private static void DropJsonNames(DescriptorProto message)
    {
        foreach (var field in message.Field)
        {
            field.ClearJsonName();
        }

        foreach (var nested in message.NestedType)
        {
            DropJsonNames(nested);
        }
    }
}
