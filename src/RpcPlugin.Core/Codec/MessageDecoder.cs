using System.Collections;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Decodes the fields of one message from the wire, recursing into nested messages and groups. Repeated and map
/// fields are handed to <see cref="RepeatedDecoder"/> and <see cref="MapDecoder"/>.
/// </summary>
internal static class MessageDecoder
{
    /// <summary>
    /// Reads fields into <paramref name="message"/> until the reader's limit or, for a group, until the end-group
    /// tag of <paramref name="groupNumber"/> (0 when not reading a group).
    /// </summary>
    public static void Merge(ref WireReader reader, DynamicMessage message, FieldTable table, int groupNumber)
    {
        FieldEntry? current = null;
        UnknownFieldBuffer unknown = default;
        try
        {
            while (!reader.AtLimit)
            {
                int tagStart = reader.Position;
                uint tag = reader.ReadTag();
                int number = WireFormat.FieldNumberOf(tag);
                WireType wireType = WireFormat.WireTypeOf(tag);
                if (wireType == WireType.EndGroup)
                {
                    if (number != groupNumber)
                    {
                        throw groupNumber == 0
                            ? WireErrors.UnexpectedEndGroup(tagStart, number)
                            : WireErrors.EndGroupMismatch(tagStart, number, groupNumber);
                    }

                    unknown.FlushTo(message);
                    return;
                }

                FieldEntry? field = table.Find(number);
                if (field is null)
                {
                    reader.SkipField(tag);
                    unknown.Append(reader.Slice(tagStart, reader.Position));
                    continue;
                }

                current = field;
                switch (field.Shape)
                {
                    case FieldShape.Singular:
                        ReadSingular(ref reader, message, field, wireType, tagStart);
                        break;
                    case FieldShape.Repeated:
                        RepeatedDecoder.Read(ref reader, message, field, wireType, tagStart);
                        break;
                    default:
                        MapDecoder.Read(ref reader, message, field, wireType, tagStart);
                        break;
                }

                current = null;
            }

            if (groupNumber != 0)
            {
                throw WireErrors.UnterminatedGroup(reader.Position, groupNumber);
            }

            unknown.FlushTo(message);
        }
        catch (ProtobufCodecException e) when (current is not null)
        {
            e.WithParent(Segment(message, current));
            throw;
        }
    }

    /// <summary>Reads a nested message's length, then its fields within that length.</summary>
    public static void ReadLengthDelimited(ref WireReader reader, DynamicMessage child, FieldTable table)
    {
        int length = reader.ReadLength();
        int oldLimit = reader.PushLimit(length);
        reader.EnterNested();
        Merge(ref reader, child, table, 0);
        reader.LeaveNested();
        reader.PopLimit(oldLimit);
    }

    /// <summary>Reads the content of a message or group field (its wire type checked) into <paramref name="child"/>.</summary>
    public static void ReadChild(ref WireReader reader, DynamicMessage child, FieldEntry field)
    {
        if (field.Type == FieldType.Group)
        {
            ReadGroup(ref reader, child, field.MessageTable, field.Number);
        }
        else
        {
            ReadLengthDelimited(ref reader, child, field.MessageTable);
        }
    }

    /// <summary>Reads a group's fields up to its end-group tag.</summary>
    public static void ReadGroup(ref WireReader reader, DynamicMessage child, FieldTable table, int fieldNumber)
    {
        reader.EnterNested();
        Merge(ref reader, child, table, fieldNumber);
        reader.LeaveNested();
    }

    public static ProtobufCodecException WrongWireType(int offset, FieldEntry field, WireType wireType) =>
        WireErrors.WrongWireType(offset, field.Shape == FieldShape.Map ? "map" : field.Type.ToString().ToLowerInvariant(), (int)wireType);

    private static void ReadSingular(ref WireReader reader, DynamicMessage message, FieldEntry field, WireType wireType, int tagStart)
    {
        if (wireType != field.WireType)
        {
            throw WrongWireType(tagStart, field, wireType);
        }

        if (field.Type is FieldType.Message or FieldType.Group)
        {
            // A message field that occurs again is merged into what was read before, as protobuf specifies.
            if (message.GetAt(field.Index) is not DynamicMessage child)
            {
                child = field.MessageTable.NewMessage();
                message.SetMember(field.Index, child, field.OneofSiblings);
            }

            ReadChild(ref reader, child, field);
            return;
        }

        message.SetMember(field.Index, ScalarReader.Read(ref reader, field.Type), field.OneofSiblings);
    }

    private static string Segment(DynamicMessage message, FieldEntry field) => field.Shape switch
    {
        // The element being read is not added yet, so the count is its index.
        FieldShape.Repeated => $"{field.Name}[{(message.GetAt(field.Index) as ICollection)?.Count ?? 0}]",
        _ => field.Name,
    };
}
