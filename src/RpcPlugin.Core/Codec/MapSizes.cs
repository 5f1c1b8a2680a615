using System.Collections;
using System.Globalization;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Sizes of map fields. As Google.Protobuf does, an entry omits a key or scalar value that is its type's zero
/// (readers take the default for a missing one); a message value is always written.
/// </summary>
internal static class MapSizes
{
    // Tags of the entry's key (field 1) and value (field 2) are one byte each.
    private const int EntryTagSize = 1;

    public static int Size(FieldEntry field, object value, int depth, int recursionLimit)
    {
        if (value is not IDictionary map)
        {
            throw ValueErrors.WrongMap(value);
        }

        FieldEntry keyField = field.MapKey;
        FieldEntry valueField = field.MapValue;
        int size = 0;
        IDictionaryEnumerator entries = map.GetEnumerator();
        while (entries.MoveNext())
        {
            object key = entries.Key;
            try
            {
                int entrySize = ScalarSize(keyField, key) + ValueSize(valueField, entries.Value, depth, recursionLimit);
                size += field.TagSize + WireFormat.VarintSize((uint)entrySize) + entrySize;
            }
            catch (ProtobufCodecException e)
            {
                e.WithParent("[" + Convert.ToString(key, CultureInfo.InvariantCulture) + "]");
                throw;
            }
        }

        return size;
    }

    /// <summary>The size of an entry whose value message was already sized (the write pass).</summary>
    public static int EntrySize(FieldEntry keyField, FieldEntry valueField, object key, object value)
    {
        if (valueField.Type == FieldType.Message)
        {
            int messageSize = ((DynamicMessage)value).CachedSize;
            return ScalarSize(keyField, key) + EntryTagSize + WireFormat.VarintSize((uint)messageSize) + messageSize;
        }

        return ScalarSize(keyField, key) + ScalarSize(valueField, value);
    }

    /// <summary>A key or scalar value of an entry, with its tag; nothing when it is its type's default.</summary>
    private static int ScalarSize(FieldEntry field, object value)
    {
        int size = BoxedScalars.Size(field.Type, value);
        return BoxedScalars.IsZero(field.Type, value) ? 0 : EntryTagSize + size;
    }

    private static int ValueSize(FieldEntry valueField, object? value, int depth, int recursionLimit)
    {
        if (value is null)
        {
            throw ValueErrors.NullElement();
        }

        if (valueField.Type != FieldType.Message)
        {
            return ScalarSize(valueField, value);
        }

        // The entry is a level of nesting of its own, as when decoding.
        int messageSize = SizeCalculator.NestedSize(valueField, value, depth + 1, recursionLimit);
        return EntryTagSize + WireFormat.VarintSize((uint)messageSize) + messageSize;
    }
}
