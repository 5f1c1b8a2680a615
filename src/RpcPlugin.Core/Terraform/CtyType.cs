using System.Text;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// A cty type: the type of a Terraform value, as a provider's schema gives it in JSON (<c>"string"</c>,
/// <c>["list","number"]</c>, <c>["object",{"a":"bool"}]</c>...). Immutable; equal types compare equal.
/// <see cref="ToString"/> gives the form Terraform writes in configurations: <c>map(string)</c>,
/// <c>list(object({a=number, b=string}))</c>, <c>dynamic</c>.
/// </summary>
public sealed class CtyType : IEquatable<CtyType>
{
    private readonly Dictionary<string, int>? attributeIndex;
    private string? json;

    private CtyType(CtyKind kind, CtyType? element = null, IReadOnlyList<CtyAttribute>? attributes = null, IReadOnlyList<CtyType>? elements = null)
    {
        Kind = kind;
        ElementType = element;
        Attributes = attributes ?? Array.Empty<CtyAttribute>();
        Elements = elements ?? Array.Empty<CtyType>();
        if (attributes is not null)
        {
            attributeIndex = new Dictionary<string, int>(attributes.Count, StringComparer.Ordinal);
            for (int i = 0; i < attributes.Count; i++)
            {
                if (!attributeIndex.TryAdd(attributes[i].Name, i))
                {
                    throw new ArgumentException($"The object type has two attributes named '{attributes[i].Name}'.", nameof(attributes));
                }
            }

            // The wire form writes attributes in name order (as cty does); worked out once per type.
            SortedAttributes = Enumerable.Range(0, attributes.Count).OrderBy(i => attributes[i].Name, StringComparer.Ordinal).ToArray();
        }
        else
        {
            SortedAttributes = Array.Empty<int>();
        }

        HasDynamic = kind == CtyKind.Dynamic
            || element?.HasDynamic == true
            || Attributes.Any(a => a.Type.HasDynamic)
            || Elements.Any(e => e.HasDynamic);
    }

    /// <summary>The string type.</summary>
    public static CtyType String { get; } = new(CtyKind.String);

    /// <summary>The number type.</summary>
    public static CtyType Number { get; } = new(CtyKind.Number);

    /// <summary>The bool type.</summary>
    public static CtyType Bool { get; } = new(CtyKind.Bool);

    /// <summary>The dynamic pseudo-type: any type, carried with the value.</summary>
    public static CtyType Dynamic { get; } = new(CtyKind.Dynamic);

    /// <summary>An object type with no attributes.</summary>
    public static CtyType EmptyObject { get; } = Object(Array.Empty<CtyAttribute>());

    /// <summary>What kind of type this is.</summary>
    public CtyKind Kind { get; }

    /// <summary>The element type of a list, set or map; null otherwise.</summary>
    public CtyType? ElementType { get; }

    /// <summary>The attributes of an object type, in the order the type declared them; empty otherwise.</summary>
    public IReadOnlyList<CtyAttribute> Attributes { get; }

    /// <summary>The element types of a tuple type; empty otherwise.</summary>
    public IReadOnlyList<CtyType> Elements { get; }

    /// <summary>Whether <see cref="Dynamic"/> appears anywhere in this type.</summary>
    public bool HasDynamic { get; }

    /// <summary>Whether this is a primitive type (string, number or bool).</summary>
    public bool IsPrimitive => Kind is CtyKind.String or CtyKind.Number or CtyKind.Bool;

    /// <summary>Indexes into <see cref="Attributes"/> in ordinal name order.</summary>
    internal int[] SortedAttributes { get; }

    /// <summary>A list type.</summary>
    public static CtyType List(CtyType element) => new(CtyKind.List, element ?? throw new ArgumentNullException(nameof(element)));

    /// <summary>A set type.</summary>
    public static CtyType Set(CtyType element) => new(CtyKind.Set, element ?? throw new ArgumentNullException(nameof(element)));

    /// <summary>A map type.</summary>
    public static CtyType Map(CtyType element) => new(CtyKind.Map, element ?? throw new ArgumentNullException(nameof(element)));

    /// <summary>An object type with these attributes, in this order.</summary>
    /// <exception cref="ArgumentException">Two attributes have the same name.</exception>
    public static CtyType Object(IEnumerable<CtyAttribute> attributes) =>
        new(CtyKind.Object, attributes: (attributes ?? throw new ArgumentNullException(nameof(attributes))).ToArray());

    /// <summary>A tuple type.</summary>
    public static CtyType Tuple(IEnumerable<CtyType> elements) =>
        new(CtyKind.Tuple, elements: (elements ?? throw new ArgumentNullException(nameof(elements))).ToArray());

    /// <summary>Reads a type from its JSON form (UTF-8), as schemas and dynamic values carry it.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidResponse"/>: not a cty type.</exception>
    public static CtyType Parse(ReadOnlySpan<byte> json) => CtyTypeJson.Parse(json);

    /// <summary>Reads a type from its JSON form.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidResponse"/>: not a cty type.</exception>
    public static CtyType Parse(string json) => CtyTypeJson.Parse(Encoding.UTF8.GetBytes(json ?? throw new ArgumentNullException(nameof(json))));

    /// <summary>The attribute with this exact name, or null.</summary>
    public CtyAttribute? FindAttribute(string name) =>
        attributeIndex is not null && attributeIndex.TryGetValue(name, out int index) ? Attributes[index] : null;

    /// <summary>The index of the attribute with this exact name in <see cref="Attributes"/>, or -1.</summary>
    internal int IndexOf(string name) => attributeIndex is not null && attributeIndex.TryGetValue(name, out int index) ? index : -1;

    /// <summary>The JSON form, as cty writes it (object attributes in name order).</summary>
    public string ToJson() => json ??= CtyTypeJson.Write(this);

    /// <summary>The JSON form as UTF-8 bytes.</summary>
    public byte[] ToJsonBytes() => Encoding.UTF8.GetBytes(ToJson());

    /// <summary>The form Terraform writes in configurations, e.g. <c>list(object({a=number, b=optional(string)}))</c>.</summary>
    public override string ToString() => Kind switch
    {
        CtyKind.String => "string",
        CtyKind.Number => "number",
        CtyKind.Bool => "bool",
        CtyKind.Dynamic => "dynamic",
        CtyKind.List => $"list({ElementType})",
        CtyKind.Set => $"set({ElementType})",
        CtyKind.Map => $"map({ElementType})",
        CtyKind.Tuple => $"tuple([{string.Join(", ", Elements)}])",
        _ => $"object({{{string.Join(", ", Attributes.Select(a => a.Optional ? $"{a.Name}=optional({a.Type})" : $"{a.Name}={a.Type}"))}}})",
    };

    /// <inheritdoc />
    public bool Equals(CtyType? other) => other is not null && (ReferenceEquals(this, other) || (Kind == other.Kind && ToJson() == other.ToJson()));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CtyType);

    /// <inheritdoc />
    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);
}
