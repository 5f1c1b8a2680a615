using System.Collections.Specialized;
using System.Runtime.CompilerServices;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// The value a reader sees for a field that is absent: a proto2 <c>[default = ...]</c> when the field declares
/// one, else its type's zero (0, false, empty string or bytes, the first value of the enum).
/// </summary>
public static class FieldDefaults
{
    // Parsing a default needs the field's proto; do it once per field. Weak, so descriptors can be collected.
    private static readonly ConditionalWeakTable<FieldDescriptor, object> Cache = new();

    /// <summary>
    /// The default of a field, in the .NET type <see cref="DynamicMessage"/> uses for it: a boxed scalar, string,
    /// a new <c>byte[]</c> or the enum number (<c>int</c>) for singular fields; null for message and group fields
    /// (absent means no message); a new empty <c>List&lt;T&gt;</c> for repeated and a new empty
    /// <see cref="OrderedDictionary"/> for map fields.
    /// </summary>
    /// <exception cref="ProtobufCodecException">The descriptor's default value text cannot be read as the field's type.</exception>
    public static object? For(FieldDescriptor field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.IsMap)
        {
            return new OrderedDictionary();
        }

        if (field.IsRepeated)
        {
            return NewList(field.FieldType);
        }

        if (field.FieldType is FieldType.Message or FieldType.Group)
        {
            return null;
        }

        object value = Scalar(field);
        return value is byte[] { Length: > 0 } bytes ? bytes.Clone() : value;
    }

    /// <summary>A new empty list of the element type <see cref="DynamicMessage"/> uses for a repeated field.</summary>
    internal static object NewList(FieldType type) => type switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 or FieldType.Enum => new List<int>(),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => new List<long>(),
        FieldType.UInt32 or FieldType.Fixed32 => new List<uint>(),
        FieldType.UInt64 or FieldType.Fixed64 => new List<ulong>(),
        FieldType.Float => new List<float>(),
        FieldType.Double => new List<double>(),
        FieldType.Bool => new List<bool>(),
        FieldType.String => new List<string>(),
        FieldType.Bytes => new List<byte[]>(),
        _ => new List<DynamicMessage>(),
    };

    /// <summary>
    /// The default of a non-message field, ignoring whether it is repeated. Cached and shared: a non-empty
    /// <c>byte[]</c> must be copied before it is handed to a caller that might change it.
    /// </summary>
    internal static object Scalar(FieldDescriptor field)
    {
        if (Cache.TryGetValue(field, out object? cached))
        {
            return cached;
        }

        return Cache.GetValue(field, static f => Compute(f));
    }

    private static object Compute(FieldDescriptor field)
    {
        // Map entries are synthesised with no proto of their own fields' defaults, and proto3 has no defaults.
        FieldDescriptorProto proto = field.ToProto();
        if (proto.HasDefaultValue)
        {
            return DefaultValueParser.Parse(field, proto.DefaultValue);
        }

        return field.FieldType switch
        {
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Boxes.Int32(0),
            FieldType.Enum => Boxes.Int32(FirstEnumValue(field.EnumType)),
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Boxes.ZeroInt64,
            FieldType.UInt32 or FieldType.Fixed32 => Boxes.ZeroUInt32,
            FieldType.UInt64 or FieldType.Fixed64 => Boxes.ZeroUInt64,
            FieldType.Float => Boxes.ZeroFloat,
            FieldType.Double => Boxes.ZeroDouble,
            FieldType.Bool => Boxes.False,
            FieldType.String => string.Empty,
            FieldType.Bytes => Array.Empty<byte>(),
            _ => throw new ArgumentException($"The field '{field.FullName}' is a message field and has no scalar default.", nameof(field)),
        };
    }

    // proto2 enums are closed and need not contain 0: their implicit default is the first value declared.
    private static int FirstEnumValue(EnumDescriptor type) => type.Values.Count > 0 ? type.Values[0].Number : 0;
}
