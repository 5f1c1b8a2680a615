using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// A file's message and enum types by full name, nested ones included, as <see cref="DescriptorPool"/> and the
/// built-in well-known files look them up. The first definition of a name wins.
/// </summary>
internal sealed class TypeIndex
{
    public Dictionary<string, MessageDescriptor> Messages { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EnumDescriptor> Enums { get; } = new(StringComparer.Ordinal);

    public void Add(FileDescriptor file)
    {
        foreach (MessageDescriptor message in file.MessageTypes)
        {
            Add(message);
        }

        AddEnums(file.EnumTypes);
    }

    private void Add(MessageDescriptor message)
    {
        Messages.TryAdd(message.FullName, message);
        foreach (MessageDescriptor nested in message.NestedTypes)
        {
            Add(nested);
        }

        AddEnums(message.EnumTypes);
    }

    private void AddEnums(IList<EnumDescriptor> enums)
    {
        foreach (EnumDescriptor @enum in enums)
        {
            Enums.TryAdd(@enum.FullName, @enum);
        }
    }
}
