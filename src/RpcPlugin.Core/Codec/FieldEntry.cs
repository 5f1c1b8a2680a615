using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>Whether a field holds one value, a list or a map.</summary>
internal enum FieldShape : byte
{
    Singular,
    Repeated,
    Map,
}

/// <summary>
/// What the codec needs to know about one field, worked out once per descriptor: its kind, shape, presence,
/// packing and pre-computed tag, so the hot loops never ask the descriptor again.
/// </summary>
internal sealed class FieldEntry
{
    private FieldTable? messageTable;

    public FieldEntry(FieldDescriptor descriptor)
    {
        Descriptor = descriptor;
        Name = descriptor.Name;
        JsonName = descriptor.JsonName;
        Index = descriptor.Index;
        Number = descriptor.FieldNumber;
        Type = descriptor.FieldType;
        Shape = descriptor.IsMap ? FieldShape.Map : descriptor.IsRepeated ? FieldShape.Repeated : FieldShape.Singular;
        HasPresence = Shape == FieldShape.Singular && descriptor.HasPresence;
        WireType = WireFormat.WireTypeOf(Type);
        IsPackable = Shape == FieldShape.Repeated && WireType is WireType.Varint or WireType.Fixed32 or WireType.Fixed64;
        IsPacked = IsPackable && descriptor.IsPacked;
        Tag = WireFormat.MakeTag(Number, IsPacked ? WireType.LengthDelimited : WireType);
        TagSize = WireFormat.VarintSize(Tag);
        EndGroupTag = WireFormat.MakeTag(Number, WireType.EndGroup);
        OneofSiblings = SiblingsOf(descriptor);
    }

    public FieldDescriptor Descriptor { get; }

    public string Name { get; }

    public string JsonName { get; }

    /// <summary>Position in declaration order: the slot in <see cref="DynamicMessage"/>.</summary>
    public int Index { get; }

    public int Number { get; }

    public FieldType Type { get; }

    public FieldShape Shape { get; }

    /// <summary>A singular field whose presence is tracked: written whenever set, even to its default.</summary>
    public bool HasPresence { get; }

    /// <summary>The wire type of one value (for a packed field, of one element).</summary>
    public WireType WireType { get; }

    /// <summary>A repeated scalar that may arrive packed or not, whatever its declaration says.</summary>
    public bool IsPackable { get; }

    /// <summary>Written packed.</summary>
    public bool IsPacked { get; }

    /// <summary>The tag written before each value, or before the packed block.</summary>
    public uint Tag { get; }

    public int TagSize { get; }

    /// <summary>The tag that closes a group field.</summary>
    public uint EndGroupTag { get; }

    /// <summary>Slots of the other members of a (non-synthetic) oneof, cleared when this one is set.</summary>
    public int[]? OneofSiblings { get; }

    /// <summary>For message, group and map fields: the table of the message (or map entry) type.</summary>
    public FieldTable MessageTable => messageTable ??= FieldTable.For(Descriptor.MessageType);

    /// <summary>For map fields: the entry's key field.</summary>
    public FieldEntry MapKey => MessageTable.Fields[0];

    /// <summary>For map fields: the entry's value field.</summary>
    public FieldEntry MapValue => MessageTable.Fields[1];

    public override string ToString() => Descriptor.FullName;

    private static int[]? SiblingsOf(FieldDescriptor descriptor)
    {
        if (descriptor.RealContainingOneof is not { } oneof || oneof.Fields.Count < 2)
        {
            return null;
        }

        var siblings = new int[oneof.Fields.Count - 1];
        int next = 0;
        foreach (FieldDescriptor member in oneof.Fields)
        {
            if (!ReferenceEquals(member, descriptor))
            {
                siblings[next++] = member.Index;
            }
        }

        return siblings;
    }
}
