using System.Collections.Specialized;
using System.Globalization;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Reads one map entry. A missing key or value takes its default; a repeated key replaces the earlier value but
/// keeps the position where the key was first seen; unknown fields inside an entry are ignored.
/// </summary>
internal static class MapDecoder
{
    public static void Read(ref WireReader reader, DynamicMessage message, FieldEntry field, WireType wireType, int tagStart)
    {
        if (wireType != WireType.LengthDelimited)
        {
            throw MessageDecoder.WrongWireType(tagStart, field, wireType);
        }

        FieldEntry keyField = field.MapKey;
        FieldEntry valueField = field.MapValue;
        object? key = null;
        object? value = null;
        int length = reader.ReadLength();
        int oldLimit = reader.PushLimit(length);
        reader.EnterNested();
        try
        {
            while (!reader.AtLimit)
            {
                int entryTagStart = reader.Position;
                uint tag = reader.ReadTag();
                int number = WireFormat.FieldNumberOf(tag);
                WireType entryWireType = WireFormat.WireTypeOf(tag);
                if (entryWireType == WireType.EndGroup)
                {
                    throw WireErrors.UnexpectedEndGroup(entryTagStart, number);
                }

                FieldEntry? target = number == 1 ? keyField : number == 2 ? valueField : null;
                if (target is null)
                {
                    reader.SkipField(tag);
                    continue;
                }

                if (entryWireType != target.WireType)
                {
                    throw MessageDecoder.WrongWireType(entryTagStart, target, entryWireType);
                }

                if (number == 1)
                {
                    key = ScalarReader.Read(ref reader, keyField.Type);
                }
                else if (valueField.Type == FieldType.Message)
                {
                    var child = value as DynamicMessage ?? valueField.MessageTable.NewMessage();
                    MessageDecoder.ReadLengthDelimited(ref reader, child, valueField.MessageTable);
                    value = child;
                }
                else
                {
                    value = ScalarReader.Read(ref reader, valueField.Type);
                }
            }
        }
        catch (ProtobufCodecException e) when (key is not null)
        {
            e.WithParent("[" + Convert.ToString(key, CultureInfo.InvariantCulture) + "]");
            throw;
        }

        reader.LeaveNested();
        reader.PopLimit(oldLimit);

        key ??= FieldDefaults.Scalar(keyField.Descriptor);
        value ??= valueField.Type == FieldType.Message ? valueField.MessageTable.NewMessage() : FieldDefaults.Scalar(valueField.Descriptor);
        OrderedDictionary map = message.GetOrCreateMap(field.Index);
        map[key] = value;
    }
}
