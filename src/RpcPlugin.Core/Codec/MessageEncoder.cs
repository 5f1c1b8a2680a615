using System.Collections;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// The second pass of encoding: writes fields in field-number order, then the unknown fields, using the sizes
/// <see cref="SizeCalculator"/> cached in each message.
/// </summary>
internal static class MessageEncoder
{
    public static void Write(ref WireWriter writer, DynamicMessage message, FieldTable table)
    {
        foreach (FieldEntry field in table.InNumberOrder)
        {
            object? value = message.GetAt(field.Index);
            if (value is null)
            {
                continue;
            }

            switch (field.Shape)
            {
                case FieldShape.Singular:
                    WriteSingular(ref writer, field, value);
                    break;
                case FieldShape.Repeated:
                    RepeatedEncoder.Write(ref writer, field, value);
                    break;
                default:
                    WriteMap(ref writer, field, (IDictionary)value);
                    break;
            }
        }

        if (message.UnknownFields is { } unknown)
        {
            writer.WriteBytes(unknown);
        }
    }

    /// <summary>Writes a nested message's length and content (no tag).</summary>
    public static void WriteNested(ref WireWriter writer, FieldEntry field, DynamicMessage child)
    {
        writer.WriteVarint32((uint)child.CachedSize);
        Write(ref writer, child, SizeCalculator.TableOf(field, child));
    }

    /// <summary>Writes a group's content and its end-group tag (the start tag is written by the caller).</summary>
    public static void WriteGroup(ref WireWriter writer, FieldEntry field, DynamicMessage child)
    {
        Write(ref writer, child, SizeCalculator.TableOf(field, child));
        writer.WriteVarint32(field.EndGroupTag);
    }

    private static void WriteSingular(ref WireWriter writer, FieldEntry field, object value)
    {
        switch (field.Type)
        {
            case FieldType.Message:
                writer.WriteVarint32(field.Tag);
                WriteNested(ref writer, field, (DynamicMessage)value);
                break;
            case FieldType.Group:
                writer.WriteVarint32(field.Tag);
                WriteGroup(ref writer, field, (DynamicMessage)value);
                break;
            default:
                if (field.HasPresence || !BoxedScalars.IsZero(field.Type, value))
                {
                    writer.WriteVarint32(field.Tag);
                    BoxedScalars.Write(ref writer, field.Type, value);
                }

                break;
        }
    }

    private static void WriteMap(ref WireWriter writer, FieldEntry field, IDictionary map)
    {
        FieldEntry keyField = field.MapKey;
        FieldEntry valueField = field.MapValue;
        uint keyTag = WireFormat.MakeTag(1, keyField.WireType);
        uint valueTag = WireFormat.MakeTag(2, valueField.WireType);
        IDictionaryEnumerator entries = map.GetEnumerator();
        while (entries.MoveNext())
        {
            object key = entries.Key;
            object value = entries.Value!;
            writer.WriteVarint32(field.Tag);
            writer.WriteVarint32((uint)MapSizes.EntrySize(keyField, valueField, key, value));
            if (!BoxedScalars.IsZero(keyField.Type, key))
            {
                writer.WriteVarint32(keyTag);
                BoxedScalars.Write(ref writer, keyField.Type, key);
            }

            if (valueField.Type == FieldType.Message)
            {
                writer.WriteVarint32(valueTag);
                WriteNested(ref writer, valueField, (DynamicMessage)value);
            }
            else if (!BoxedScalars.IsZero(valueField.Type, value))
            {
                writer.WriteVarint32(valueTag);
                BoxedScalars.Write(ref writer, valueField.Type, value);
            }
        }
    }
}
