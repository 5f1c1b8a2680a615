using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>The well-known types that have a special proto3 JSON form.</summary>
internal enum WellKnownType : byte
{
    None,
    Any,
    Timestamp,
    Duration,
    FieldMask,
    Struct,
    Value,
    ListValue,
    Empty,
    DoubleValue,
    FloatValue,
    Int64Value,
    UInt64Value,
    Int32Value,
    UInt32Value,
    BoolValue,
    StringValue,
    BytesValue,
}

/// <summary>
/// Recognises well-known types by full name, never by descriptor identity: descriptors built from a plugin's
/// reflection or .proto files are other instances than Google.Protobuf's compiled-in ones.
/// </summary>
internal static class WellKnownTypes
{
    public const string NullValueEnum = "google.protobuf.NullValue";

    public static WellKnownType Of(MessageDescriptor descriptor) => descriptor.FullName switch
    {
        "google.protobuf.Any" => WellKnownType.Any,
        "google.protobuf.Timestamp" => WellKnownType.Timestamp,
        "google.protobuf.Duration" => WellKnownType.Duration,
        "google.protobuf.FieldMask" => WellKnownType.FieldMask,
        "google.protobuf.Struct" => WellKnownType.Struct,
        "google.protobuf.Value" => WellKnownType.Value,
        "google.protobuf.ListValue" => WellKnownType.ListValue,
        "google.protobuf.Empty" => WellKnownType.Empty,
        "google.protobuf.DoubleValue" => WellKnownType.DoubleValue,
        "google.protobuf.FloatValue" => WellKnownType.FloatValue,
        "google.protobuf.Int64Value" => WellKnownType.Int64Value,
        "google.protobuf.UInt64Value" => WellKnownType.UInt64Value,
        "google.protobuf.Int32Value" => WellKnownType.Int32Value,
        "google.protobuf.UInt32Value" => WellKnownType.UInt32Value,
        "google.protobuf.BoolValue" => WellKnownType.BoolValue,
        "google.protobuf.StringValue" => WellKnownType.StringValue,
        "google.protobuf.BytesValue" => WellKnownType.BytesValue,
        _ => WellKnownType.None,
    };

    /// <summary>Google.Protobuf's compiled-in descriptor of a well-known type, so an Any can pack one without a resolver.</summary>
    public static MessageDescriptor? BuiltIn(string fullName) => fullName switch
    {
        "google.protobuf.Any" => Google.Protobuf.WellKnownTypes.Any.Descriptor,
        "google.protobuf.Timestamp" => Google.Protobuf.WellKnownTypes.Timestamp.Descriptor,
        "google.protobuf.Duration" => Google.Protobuf.WellKnownTypes.Duration.Descriptor,
        "google.protobuf.FieldMask" => Google.Protobuf.WellKnownTypes.FieldMask.Descriptor,
        "google.protobuf.Struct" => Google.Protobuf.WellKnownTypes.Struct.Descriptor,
        "google.protobuf.Value" => Google.Protobuf.WellKnownTypes.Value.Descriptor,
        "google.protobuf.ListValue" => Google.Protobuf.WellKnownTypes.ListValue.Descriptor,
        "google.protobuf.Empty" => Google.Protobuf.WellKnownTypes.Empty.Descriptor,
        "google.protobuf.DoubleValue" => Google.Protobuf.WellKnownTypes.DoubleValue.Descriptor,
        "google.protobuf.FloatValue" => Google.Protobuf.WellKnownTypes.FloatValue.Descriptor,
        "google.protobuf.Int64Value" => Google.Protobuf.WellKnownTypes.Int64Value.Descriptor,
        "google.protobuf.UInt64Value" => Google.Protobuf.WellKnownTypes.UInt64Value.Descriptor,
        "google.protobuf.Int32Value" => Google.Protobuf.WellKnownTypes.Int32Value.Descriptor,
        "google.protobuf.UInt32Value" => Google.Protobuf.WellKnownTypes.UInt32Value.Descriptor,
        "google.protobuf.BoolValue" => Google.Protobuf.WellKnownTypes.BoolValue.Descriptor,
        "google.protobuf.StringValue" => Google.Protobuf.WellKnownTypes.StringValue.Descriptor,
        "google.protobuf.BytesValue" => Google.Protobuf.WellKnownTypes.BytesValue.Descriptor,
        _ => null,
    };
}
