using System.Collections;
using System.Collections.ObjectModel;
using System.Globalization;

namespace RpcPlugin;

/// <summary>
/// A protobuf map with integer or bool keys (<c>map&lt;int64, string&gt;</c>, <c>map&lt;bool, Nested&gt;</c>) as a
/// response holds it: read-only, in the order the entries arrived. The indexer converts the key, so <c>$m[7]</c>,
/// <c>$m['7']</c>, <c>$m.7</c> and <c>$m[[long]7]</c> find the same entry whatever the key type. <see cref="Keys"/>
/// are typed (<see cref="KeyType"/>); enumerating the entries (GetEnumerator, ConvertTo-Json, Format-List) gives
/// each key as proto3 JSON writes it, as text ("7", "true"), so <c>ConvertTo-Json</c> writes the map as protobuf's
/// JSON mapping does. Passed back in a request, it is read like any dictionary.
/// </summary>
public sealed class ProtoMap : IDictionary
{
    private const string ReadOnlyMessage =
        "This map is part of a response and is read-only. To send different entries, assign a new hashtable to the field (for example $reply.counts = @{ 7 = 'seven' }).";

    private readonly List<object> keys = new();
    private readonly List<string> texts = new();
    private readonly List<object?> values = new();
    private readonly Dictionary<object, int> positions = new();

    /// <summary>Creates an empty map whose keys are <paramref name="keyType"/>: Int32, Int64, UInt32, UInt64 or Boolean.</summary>
    internal ProtoMap(Type keyType)
    {
        if (keyType != typeof(int) && keyType != typeof(long) && keyType != typeof(uint) && keyType != typeof(ulong) && keyType != typeof(bool))
        {
            throw new ArgumentException($"A map key of type {keyType.Name} is not an integer or bool.", nameof(keyType));
        }

        KeyType = keyType;
    }

    /// <summary>The .NET type of the keys: [int], [long], [uint32], [uint64] (by the proto key type) or [bool].</summary>
    public Type KeyType { get; }

    /// <summary>The number of entries.</summary>
    public int Count => keys.Count;

    /// <summary>The keys, typed (<see cref="KeyType"/>), in order.</summary>
    public ICollection Keys => new ReadOnlyCollection<object>(keys);

    /// <summary>The values, in the order of their keys.</summary>
    public ICollection Values => new ReadOnlyCollection<object?>(values);

    /// <summary>Always true: a response's map cannot be changed.</summary>
    public bool IsReadOnly => true;

    /// <summary>Always true: entries cannot be added or removed.</summary>
    public bool IsFixedSize => true;

    bool ICollection.IsSynchronized => false;

    object ICollection.SyncRoot => this;

    /// <summary>
    /// The value of a key given as any integer type, a whole number, or text ('7', 'true'); null when there is no
    /// such entry or the key cannot be one of this map's. Setting throws: the map is read-only.
    /// </summary>
    public object? this[object key]
    {
        get => TryGetValue(key, out object? value) ? value : null;
        set => throw new NotSupportedException(ReadOnlyMessage);
    }

    /// <summary>Whether the map has an entry for the key (given as <see cref="this[object]"/> takes it).</summary>
    public bool ContainsKey(object key) => Position(key) >= 0;

    /// <summary>Whether the map has an entry for the key; the same as <see cref="ContainsKey"/>.</summary>
    public bool Contains(object key) => ContainsKey(key);

    /// <summary>Gets the value of a key (given as <see cref="this[object]"/> takes it).</summary>
    public bool TryGetValue(object key, out object? value)
    {
        int position = Position(key);
        value = position >= 0 ? values[position] : null;
        return position >= 0;
    }

    /// <summary>The entries in order, each key as proto3 JSON writes it (text).</summary>
    public IDictionaryEnumerator GetEnumerator() => new Enumerator(this);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Copies the entries (keys as text) into an array of <see cref="DictionaryEntry"/>.</summary>
    public void CopyTo(Array array, int index)
    {
        ArgumentNullException.ThrowIfNull(array);
        for (int i = 0; i < keys.Count; i++)
        {
            array.SetValue(new DictionaryEntry(texts[i], values[i]), index + i);
        }
    }

    void IDictionary.Add(object key, object? value) => throw new NotSupportedException(ReadOnlyMessage);

    void IDictionary.Clear() => throw new NotSupportedException(ReadOnlyMessage);

    void IDictionary.Remove(object key) => throw new NotSupportedException(ReadOnlyMessage);

    /// <inheritdoc />
    public override string ToString() => $"ProtoMap[{KeyType.Name}] ({Count} entries)";

    /// <summary>Adds an entry while the response is built.</summary>
    internal void AddEntry(object key, object? value)
    {
        if (!ProtoMapKeys.TryConvert(key, KeyType, out key))
        {
            throw new ArgumentException($"The key {key} is not a {KeyType.Name}.", nameof(key));
        }

        if (positions.TryGetValue(key, out int existing))
        {
            values[existing] = value; // a key sent twice: the last value wins, as protobuf parsers do
            return;
        }

        positions.Add(key, keys.Count);
        keys.Add(key);
        texts.Add(key is bool flag ? (flag ? "true" : "false") : Convert.ToString(key, CultureInfo.InvariantCulture)!);
        values.Add(value);
    }

    private int Position(object? key) =>
        ProtoMapKeys.TryConvert(key, KeyType, out object typed) && positions.TryGetValue(typed, out int position) ? position : -1;

    private sealed class Enumerator : IDictionaryEnumerator
    {
        private readonly ProtoMap map;
        private int index = -1;

        public Enumerator(ProtoMap map) => this.map = map;

        public DictionaryEntry Entry => index >= 0 && index < map.Count
            ? new DictionaryEntry(map.texts[index], map.values[index])
            : throw new InvalidOperationException("The enumerator is not on an entry.");

        public object Key => Entry.Key;

        public object? Value => Entry.Value;

        public object Current => Entry;

        public bool MoveNext() => ++index < map.Count;

        public void Reset() => index = -1;
    }
}
