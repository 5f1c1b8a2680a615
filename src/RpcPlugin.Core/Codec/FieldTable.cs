using System.Runtime.CompilerServices;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// The codec's view of one message type: its fields in declaration and number order, a field-number lookup and
/// the JSON name lookup. Built once per <see cref="MessageDescriptor"/> and cached in a weak table, so the cache
/// dies with the descriptors (a session's descriptors are not kept alive by having been used).
/// </summary>
internal sealed class FieldTable
{
    // Field numbers below this are looked up in an array; larger (rare) ones in a dictionary.
    private const int DenseLimit = 1024;

    private static readonly ConditionalWeakTable<MessageDescriptor, FieldTable> Cache = new();

    private readonly FieldEntry?[] dense;
    private readonly Dictionary<int, FieldEntry>? sparse;
    private Dictionary<string, FieldEntry>? jsonNames;

    private FieldTable(MessageDescriptor descriptor)
    {
        Descriptor = descriptor;
        WellKnown = WellKnownTypes.Of(descriptor);
        IList<FieldDescriptor> declared = descriptor.Fields.InDeclarationOrder();
        Fields = new FieldEntry[declared.Count];
        int maxDense = 0;
        for (int i = 0; i < declared.Count; i++)
        {
            Fields[i] = new FieldEntry(declared[i]);
            if (Fields[i].Number < DenseLimit)
            {
                maxDense = Math.Max(maxDense, Fields[i].Number);
            }
        }

        InNumberOrder = (FieldEntry[])Fields.Clone();
        Array.Sort(InNumberOrder, static (a, b) => a.Number.CompareTo(b.Number));
        dense = new FieldEntry?[maxDense + 1];
        foreach (FieldEntry field in Fields)
        {
            if (field.Number < DenseLimit)
            {
                dense[field.Number] = field;
            }
            else
            {
                (sparse ??= new Dictionary<int, FieldEntry>())[field.Number] = field;
            }
        }
    }

    public MessageDescriptor Descriptor { get; }

    /// <summary>Which well-known type this is, for the JSON mapping.</summary>
    public WellKnownType WellKnown { get; }

    /// <summary>Fields in declaration order (index = <c>FieldDescriptor.Index</c>).</summary>
    public FieldEntry[] Fields { get; }

    /// <summary>Fields in field-number order, the order they are written in.</summary>
    public FieldEntry[] InNumberOrder { get; }

    /// <summary>A new empty message of this type.</summary>
    public DynamicMessage NewMessage() => new(Descriptor, Fields.Length);

    public static FieldTable For(MessageDescriptor descriptor) =>
        Cache.TryGetValue(descriptor, out FieldTable? table) ? table : Cache.GetValue(descriptor, static d => new FieldTable(d));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FieldEntry? Find(int number)
    {
        FieldEntry?[] array = dense;
        if ((uint)number < (uint)array.Length)
        {
            return array[number];
        }

        return sparse is not null && sparse.TryGetValue(number, out FieldEntry? field) ? field : null;
    }

    /// <summary>Finds a field by its JSON name or its proto name, as proto3 JSON parsers accept both.</summary>
    public FieldEntry? FindByJsonName(string name)
    {
        Dictionary<string, FieldEntry>? names = jsonNames;
        if (names is null)
        {
            names = new Dictionary<string, FieldEntry>(Fields.Length * 2, StringComparer.Ordinal);
            foreach (FieldEntry field in Fields)
            {
                names.TryAdd(field.Name, field);
            }

            // A JSON name wins over an equal proto name of another field, as the JSON name is the primary one.
            foreach (FieldEntry field in Fields)
            {
                names[field.JsonName] = field;
            }

            jsonNames = names;
        }

        return names.TryGetValue(name, out FieldEntry? found) ? found : null;
    }
}
