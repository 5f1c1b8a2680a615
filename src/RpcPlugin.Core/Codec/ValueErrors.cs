using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// The exceptions for a <see cref="DynamicMessage"/> whose values do not fit their fields, found while encoding
/// or formatting (the codec checks every value's .NET type before it writes anything).
/// </summary>
internal static class ValueErrors
{
    public static ProtobufCodecException WrongScalar(FieldType type, object value) =>
        new($"A {Kind(type)} value must be a {ClrName(type)}, not a {value.GetType().Name}.");

    public static ProtobufCodecException WrongList(FieldType type, object value) =>
        new($"A repeated {Kind(type)} field must hold a List<{ClrName(type)}>, not a {Describe(value.GetType())}.");

    public static ProtobufCodecException WrongMap(object value) =>
        new($"A map field must hold an OrderedDictionary, not a {Describe(value.GetType())}.");

    public static ProtobufCodecException WrongMessage(MessageDescriptor expected, object value) =>
        new(value is DynamicMessage message
            ? $"A field of type {expected.FullName} holds a message of type {message.Descriptor.FullName}."
            : $"A field of type {expected.FullName} must hold a DynamicMessage, not a {value.GetType().Name}.");

    public static ProtobufCodecException NullElement() => new("A list or map holds a null value.");

    public static ProtobufCodecException RecursionLimit(int limit) =>
        new($"Messages are nested deeper than the recursion limit of {limit} (is a message contained in itself?).");

    /// <summary>The .NET type that holds values of a field type in a <see cref="DynamicMessage"/>.</summary>
    public static string ClrName(FieldType type) => type switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 or FieldType.Enum => "Int32",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => "Int64",
        FieldType.UInt32 or FieldType.Fixed32 => "UInt32",
        FieldType.UInt64 or FieldType.Fixed64 => "UInt64",
        FieldType.Float => "Single",
        FieldType.Double => "Double",
        FieldType.Bool => "Boolean",
        FieldType.String => "String",
        FieldType.Bytes => "Byte[]",
        _ => nameof(DynamicMessage),
    };

    public static string Kind(FieldType type) => type.ToString().ToLowerInvariant();

    private static string Describe(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", Array.ConvertAll(type.GetGenericArguments(), t => t.Name))}>" : type.Name;
}
