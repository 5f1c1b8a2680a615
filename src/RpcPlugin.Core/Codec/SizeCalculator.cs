using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// The first pass of encoding: computes every message's size bottom-up, stores it in
/// <see cref="DynamicMessage.CachedSize"/> for the write pass, and checks every value's .NET type on the way.
/// </summary>
internal static class SizeCalculator
{
    public static int Compute(DynamicMessage message, FieldTable table, int depth, int recursionLimit)
    {
        FieldEntry? current = null;
        int size = 0;
        try
        {
            foreach (FieldEntry field in table.InNumberOrder)
            {
                object? value = message.GetAt(field.Index);
                if (value is null)
                {
                    continue;
                }

                current = field;
                size += field.Shape switch
                {
                    FieldShape.Singular => SingularSize(field, value, depth, recursionLimit),
                    FieldShape.Repeated => RepeatedSizes.Size(field, value, depth, recursionLimit),
                    _ => MapSizes.Size(field, value, depth, recursionLimit),
                };
            }

            current = null;
        }
        catch (ProtobufCodecException e) when (current is not null)
        {
            e.WithParent(current.Name);
            throw;
        }

        if (message.UnknownFields is { } unknown)
        {
            size += unknown.Length;
        }

        message.CachedSize = size;
        return size;
    }

    /// <summary>The size of a nested message or group's content, computing (and caching) its own sizes.</summary>
    public static int NestedSize(FieldEntry field, object value, int depth, int recursionLimit)
    {
        if (depth >= recursionLimit)
        {
            throw ValueErrors.RecursionLimit(recursionLimit);
        }

        return Compute((DynamicMessage)value, TableOf(field, value), depth + 1, recursionLimit);
    }

    /// <summary>
    /// The table to encode a nested message with: the field's, or the value's own when it was built from another
    /// instance of the same descriptor (descriptors from different pools describe the same type).
    /// </summary>
    public static FieldTable TableOf(FieldEntry field, object value)
    {
        FieldTable table = field.MessageTable;
        if (value is DynamicMessage message)
        {
            if (ReferenceEquals(message.Descriptor, table.Descriptor))
            {
                return table;
            }

            if (message.Descriptor.FullName == table.Descriptor.FullName)
            {
                return FieldTable.For(message.Descriptor);
            }
        }

        throw ValueErrors.WrongMessage(table.Descriptor, value);
    }

    private static int SingularSize(FieldEntry field, object value, int depth, int recursionLimit)
    {
        switch (field.Type)
        {
            case FieldType.Message:
                int messageSize = NestedSize(field, value, depth, recursionLimit);
                return field.TagSize + WireFormat.VarintSize((uint)messageSize) + messageSize;
            case FieldType.Group:
                return (2 * field.TagSize) + NestedSize(field, value, depth, recursionLimit);
            default:
                int valueSize = BoxedScalars.Size(field.Type, value);
                return !field.HasPresence && BoxedScalars.IsZero(field.Type, value) ? 0 : field.TagSize + valueSize;
        }
    }
}
