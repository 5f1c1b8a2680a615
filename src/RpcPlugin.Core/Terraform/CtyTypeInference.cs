using System.Collections;
using System.Collections.Specialized;
using System.Numerics;
using System.Runtime.CompilerServices;
using RpcPlugin.Core.Conversion;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// The type a value gets where the schema says <c>dynamic</c>: strings, numbers and bools as themselves,
/// dictionaries and records as objects, sequences as tuples (as Terraform types a literal <c>{...}</c> or
/// <c>[...]</c>). A collection decoded from a dynamic value remembers the type it came with, so sending it back
/// unchanged keeps its list, set or map type.
/// </summary>
internal sealed class CtyTypeInference
{
    // Weak: remembering a decoded value's type never keeps the value alive.
    private static readonly ConditionalWeakTable<object, CtyType> Decoded = new();

    private readonly IValueAdapter adapter;

    public CtyTypeInference(IValueAdapter adapter)
    {
        this.adapter = adapter;
    }

    /// <summary>
    /// Notes the type a decoded collection (object[] or OrderedDictionary) had on the wire, or that a decoded
    /// string is a number (one a double cannot hold), so a dynamic slot sends it back as a number.
    /// </summary>
    public static void Remember(object? value, CtyType type)
    {
        if ((value is object?[] or OrderedDictionary && !type.IsPrimitive) || (value is string && type.Kind == CtyKind.Number))
        {
            Decoded.AddOrUpdate(value, type);
        }
    }

    /// <summary>The type a collection had when it was decoded, if it was.</summary>
    public static bool TryRecall(object value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CtyType? type) =>
        Decoded.TryGetValue(value, out type);

    /// <summary>The type of an (unwrapped) value; <see cref="CtyType.Dynamic"/> for null and unknown.</summary>
    public CtyType Infer(object? value, int depth)
    {
        value = adapter.Unwrap(value);
        if (depth > CtyValueNormalizer.MaxDepth)
        {
            throw new CtyValueError($"the value nests more than {CtyValueNormalizer.MaxDepth} levels deep");
        }

        switch (value)
        {
            case null or TerraformUnknown:
                return CtyType.Dynamic;
            case string text when TryRecall(text, out CtyType? recalled):
                return recalled;
            case string or char:
                return CtyType.String;
            case bool:
                return CtyType.Bool;
            case sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal or BigInteger:
                return CtyType.Number;
        }

        if (value is IDictionary || adapter.TryGetProperties(value, out _))
        {
            var entries = CtyValueNormalizer.Entries(adapter, value);
            return CtyType.Object(entries.Select(e => new CtyAttribute(e.Key, Infer(e.Value, depth + 1))));
        }

        if (value is IEnumerable sequence)
        {
            return CtyType.Tuple(sequence.Cast<object?>().Select(item => Infer(item, depth + 1)).ToList());
        }

        throw new CtyValueError($"a {value.GetType().Name} cannot be a Terraform value (use a string, number, bool, hashtable, object or array)");
    }
}
