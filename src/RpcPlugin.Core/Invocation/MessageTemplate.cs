using System.Collections.Specialized;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;

namespace RpcPlugin.Core.Invocation;

/// <summary>
/// A request skeleton to fill in: an ordered dictionary with every field at its default. Fields that mean
/// something only when set (oneof members, proto3 optional, well-known types) are $null, so that sending the
/// skeleton unchanged is valid; nested messages are nested skeletons, except where a type recurses.
/// </summary>
public static class MessageTemplate
{
    /// <summary>The skeleton of a message type.</summary>
    public static OrderedDictionary For(MessageDescriptor type) => Build(type, new HashSet<string>());

    private static OrderedDictionary Build(MessageDescriptor type, HashSet<string> path)
    {
        var skeleton = new OrderedDictionary();
        path.Add(type.FullName);
        foreach (FieldDescriptor field in type.Fields.InDeclarationOrder())
        {
            skeleton[field.Name] = Default(field, path);
        }

        path.Remove(type.FullName);
        return skeleton;
    }

    private static object? Default(FieldDescriptor field, HashSet<string> path)
    {
        if (field.IsMap)
        {
            return new OrderedDictionary();
        }

        if (field.IsRepeated)
        {
            return System.Array.Empty<object>();
        }

        if (field.ContainingOneof is not null)
        {
            return null; // a real oneof member, or proto3 'optional'
        }

        return field.FieldType switch
        {
            FieldType.Message or FieldType.Group when WellKnownValues.IsWellKnown(field.MessageType) || path.Contains(field.MessageType.FullName) => null,
            FieldType.Message or FieldType.Group => Build(field.MessageType, path),
            FieldType.Enum => field.EnumType.FindValueByNumber((int)FieldDefaults.For(field)!)?.Name ?? FieldDefaults.For(field),
            _ => FieldDefaults.For(field),
        };
    }
}
