using System.Collections;
using System.Globalization;
using RpcPlugin.Core.Conversion;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// Checks a host value against a cty type (or a schema block) and brings it into one canonical form, with the
/// concrete type of every part that the declared type leaves dynamic. Canonical values: null,
/// <see cref="TerraformUnknown"/>, string, bool, <see cref="CtyNumber"/> or double (numbers), object?[] (lists,
/// sets, tuples, and objects by attribute index) and KeyValuePair&lt;string, object?&gt;[] (maps, in key order).
/// Writing that form is then mechanical (<see cref="CtyMsgpackWriter"/>).
/// </summary>
internal sealed partial class CtyValueNormalizer
{
    public const int MaxDepth = 100;

    private readonly IValueAdapter adapter;
    private readonly CtyTypeInference inference;

    public CtyValueNormalizer(IValueAdapter adapter)
    {
        this.adapter = adapter;
        inference = new CtyTypeInference(adapter);
    }

    /// <summary>The value's concrete type and canonical form, by <paramref name="declared"/>.</summary>
    public (CtyType Type, object? Value) Normalize(CtyType declared, object? value, int depth)
    {
        value = adapter.Unwrap(value);
        if (value is null or TerraformUnknown)
        {
            return (declared, value);
        }

        if (depth > MaxDepth)
        {
            throw new CtyValueError($"the value nests more than {MaxDepth} levels deep");
        }

        return declared.Kind switch
        {
            CtyKind.String => (declared, CtyScalars.ToText(value)),
            CtyKind.Number => (declared, CtyScalars.ToNumber(value)),
            CtyKind.Bool => (declared, CtyScalars.ToBool(value)),
            CtyKind.Dynamic => NormalizeDynamic(value, depth),
            CtyKind.List or CtyKind.Set => NormalizeCollection(declared, value, depth),
            CtyKind.Tuple => NormalizeTuple(declared, value, depth),
            CtyKind.Map => NormalizeMap(declared, value, depth),
            _ => NormalizeObject(declared, null, value, depth),
        };
    }

    /// <summary>A value's (name, value) pairs: a dictionary's entries or a record's properties; keys as strings.</summary>
    internal static List<KeyValuePair<string, object?>> Entries(IValueAdapter adapter, object value)
    {
        var entries = new List<KeyValuePair<string, object?>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                Add(KeyText(adapter.Unwrap(entry.Key)), entry.Value);
            }
        }
        else if (adapter.TryGetProperties(value, out IEnumerable<KeyValuePair<string, object?>> properties))
        {
            foreach (KeyValuePair<string, object?> property in properties)
            {
                Add(property.Key, property.Value);
            }
        }
        else
        {
            throw new CtyValueError($"expected an object or map (a hashtable or an object with properties), got {RequestError.Describe(value)}");
        }

        return entries;

        void Add(string key, object? item)
        {
            if (!seen.Add(key))
            {
                throw new CtyValueError($"the key '{key}' is given twice");
            }

            entries.Add(new(key, item));
        }
    }

    private (CtyType, object?) NormalizeDynamic(object value, int depth)
    {
        if (CtyTypeInference.TryRecall(value, out CtyType? recalled))
        {
            try
            {
                return Normalize(recalled, value, depth);
            }
            catch (CtyValueError)
            {
                // Changed since it was decoded so that it no longer fits: type it afresh.
            }
        }

        return Normalize(inference.Infer(value, depth), value, depth);
    }

    private (CtyType, object?) NormalizeCollection(CtyType declared, object value, int depth)
    {
        List<object?> items = Sequence(value);
        var result = new object?[items.Count];
        var types = new CtyType[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            try
            {
                (types[i], result[i]) = Normalize(declared.ElementType!, items[i], depth + 1);
            }
            catch (CtyValueError e)
            {
                throw e.AtIndex(i);
            }
        }

        if (!declared.HasDynamic)
        {
            return (declared, result);
        }

        CtyType element = Unify(declared.ElementType!, types, declared.Kind);
        return (declared.Kind == CtyKind.List ? CtyType.List(element) : CtyType.Set(element), result);
    }

    private (CtyType, object?) NormalizeTuple(CtyType declared, object value, int depth)
    {
        List<object?> items = Sequence(value);
        if (items.Count != declared.Elements.Count)
        {
            throw new CtyValueError($"expected {declared.Elements.Count} element(s) for {declared}, got {items.Count}");
        }

        var result = new object?[items.Count];
        var types = new CtyType[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            try
            {
                (types[i], result[i]) = Normalize(declared.Elements[i], items[i], depth + 1);
            }
            catch (CtyValueError e)
            {
                throw e.AtIndex(i);
            }
        }

        return (declared.HasDynamic ? CtyType.Tuple(types) : declared, result);
    }

    private (CtyType, object?) NormalizeMap(CtyType declared, object value, int depth)
    {
        List<KeyValuePair<string, object?>> entries = Entries(adapter, value);
        entries.Sort((a, b) => CtyDictionaries.CompareKeys(a.Key, b.Key));
        var result = new KeyValuePair<string, object?>[entries.Count];
        var types = new CtyType[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            try
            {
                (types[i], object? item) = Normalize(declared.ElementType!, entries[i].Value, depth + 1);
                result[i] = new(entries[i].Key, item);
            }
            catch (CtyValueError e)
            {
                throw e.AtKey(entries[i].Key);
            }
        }

        return (declared.HasDynamic ? CtyType.Map(Unify(declared.ElementType!, types, CtyKind.Map)) : declared, result);
    }

    /// <summary>The one element type of a collection whose declared element type is (or holds) dynamic.</summary>
    private static CtyType Unify(CtyType declared, CtyType[] types, CtyKind kind)
    {
        // Null and unknown elements keep the declared type and fit any; the others must agree, as Terraform requires.
        CtyType[] distinct = types.Where(t => !t.Equals(declared)).Distinct().ToArray();
        return distinct.Length switch
        {
            0 => declared,
            1 => distinct[0],
            _ => throw new CtyValueError($"the elements have different types ({distinct[0]} and {distinct[1]}), but a {kind.ToString().ToLowerInvariant()} needs one element type"),
        };
    }

    /// <summary>A sequence's items; a lone value (a string, a hashtable...) is a sequence of one, as in PowerShell.</summary>
    private List<object?> Sequence(object value) =>
        value is IEnumerable sequence and not string and not IDictionary && !adapter.TryGetProperties(value, out _)
            ? sequence.Cast<object?>().ToList()
            : new List<object?> { value };

    private static string KeyText(object? key) => key switch
    {
        string text => text,
        char c => c.ToString(),
        IFormattable formattable and not Enum => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new CtyValueError($"a key must be a string, got {RequestError.Describe(key)}"),
    };
}
