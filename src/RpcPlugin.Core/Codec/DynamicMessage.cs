using System.Collections;
using System.Collections.Specialized;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// A protobuf message whose shape comes from a descriptor at run time. Values use one .NET type per field kind:
/// int32/sint32/sfixed32 <c>int</c>, int64/sint64/sfixed64 <c>long</c>, uint32/fixed32 <c>uint</c>,
/// uint64/fixed64 <c>ulong</c>, float <c>float</c>, double <c>double</c>, bool <c>bool</c>, string <c>string</c>,
/// bytes <c>byte[]</c>, enum <c>int</c> (the number: open enums keep unknown numbers), message and group
/// <see cref="DynamicMessage"/>. A repeated field holds a <c>List&lt;T&gt;</c> of its element type; a map field an
/// <see cref="OrderedDictionary"/> from key to value, in the order the entries were added.
/// </summary>
public sealed class DynamicMessage
{
    private readonly object?[] values;
    private byte[]? unknownFields;

    /// <summary>Creates an empty message of the given type.</summary>
    public DynamicMessage(MessageDescriptor descriptor)
    {
        Descriptor = descriptor ?? throw new ArgumentNullException(nameof(descriptor));
        values = new object?[descriptor.Fields.InDeclarationOrder().Count];
    }

    /// <summary>Creates an empty message when the caller already knows the field count (the codec's hot path).</summary>
    internal DynamicMessage(MessageDescriptor descriptor, int fieldCount)
    {
        Descriptor = descriptor;
        values = new object?[fieldCount];
    }

    /// <summary>The message type.</summary>
    public MessageDescriptor Descriptor { get; }

    /// <summary>
    /// Fields read from the wire that the descriptor does not know, as their raw bytes (tags included), in the
    /// order read; written back unchanged when the message is encoded. Null when there are none.
    /// </summary>
    public byte[]? UnknownFields
    {
        get => unknownFields;
        set => unknownFields = value is { Length: 0 } ? null : value;
    }

    /// <summary>
    /// A field's value, or null when it is not set. For repeated and map fields, null means empty. Setting a
    /// oneof member clears the other members of its oneof.
    /// </summary>
    public object? this[FieldDescriptor field]
    {
        get => values[IndexOf(field)];
        set
        {
            int index = IndexOf(field);
            if (value is not null && field.RealContainingOneof is { } oneof)
            {
                foreach (FieldDescriptor member in oneof.Fields)
                {
                    values[IndexOf(member)] = null;
                }
            }

            values[index] = value;
        }
    }

    /// <summary>Whether a field is set: present for singular fields, non-empty for repeated and map fields.</summary>
    public bool Has(FieldDescriptor field) => values[IndexOf(field)] switch
    {
        null => false,
        ICollection collection => collection.Count > 0,
        _ => true,
    };

    /// <summary>The set member of a oneof, or null.</summary>
    public FieldDescriptor? WhichOneof(OneofDescriptor oneof)
    {
        foreach (FieldDescriptor member in oneof.Fields)
        {
            if (values[IndexOf(member)] is not null)
            {
                return member;
            }
        }

        return null;
    }

    /// <summary>The set fields with their values, in declaration order.</summary>
    public IEnumerable<KeyValuePair<FieldDescriptor, object>> SetFields()
    {
        IList<FieldDescriptor> fields = Descriptor.Fields.InDeclarationOrder();
        for (int i = 0; i < fields.Count; i++)
        {
            if (values[i] is { } value && (value is not ICollection collection || collection.Count > 0))
            {
                yield return new(fields[i], value);
            }
        }
    }

    /// <summary>Gets a repeated field's list, creating it if needed.</summary>
    public List<T> GetList<T>(FieldDescriptor field) => GetOrCreateList<T>(IndexOf(field));

    /// <summary>Gets a map field's dictionary, creating it if needed.</summary>
    public OrderedDictionary GetMap(FieldDescriptor field) => GetOrCreateMap(IndexOf(field));

    /// <inheritdoc />
    public override string ToString() => Descriptor.FullName;

    /// <summary>
    /// The encoded size computed by the size pass of the current encode, read by the write pass that follows it.
    /// Every encode recomputes it, so changes made to the message (or to messages nested in it) since an earlier
    /// encode cannot leave it stale.
    /// </summary>
    internal int CachedSize;

    /// <summary>The raw slot of a field by its declaration index: no ownership check, no oneof handling.</summary>
    internal object? GetAt(int index) => values[index];

    /// <summary>Sets the raw slot of a field by its declaration index: no ownership check, no oneof handling.</summary>
    internal void SetAt(int index, object? value) => values[index] = value;

    /// <summary>Sets a field and clears the other members of its oneof, given their slots.</summary>
    internal void SetMember(int index, object value, int[]? oneofSiblings)
    {
        if (oneofSiblings is not null)
        {
            foreach (int sibling in oneofSiblings)
            {
                values[sibling] = null;
            }
        }

        values[index] = value;
    }

    /// <summary>The list in a repeated field's slot, created when absent.</summary>
    internal List<T> GetOrCreateList<T>(int index)
    {
        if (values[index] is List<T> list)
        {
            return list;
        }

        list = new List<T>();
        values[index] = list;
        return list;
    }

    /// <summary>The dictionary in a map field's slot, created when absent.</summary>
    internal OrderedDictionary GetOrCreateMap(int index)
    {
        if (values[index] is OrderedDictionary map)
        {
            return map;
        }

        map = new OrderedDictionary();
        values[index] = map;
        return map;
    }

    private int IndexOf(FieldDescriptor field)
    {
        // Index in declaration order, which is what FieldDescriptor.Index is for fields of this message.
        if (!ReferenceEquals(field.ContainingType, Descriptor))
        {
            throw new ArgumentException($"The field '{field.FullName}' does not belong to message '{Descriptor.FullName}'.", nameof(field));
        }

        return field.Index;
    }
}
