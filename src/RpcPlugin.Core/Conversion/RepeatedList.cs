using System.Collections;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Core.Conversion;

/// <summary>Gets a repeated field's typed list (List&lt;int&gt;, List&lt;DynamicMessage&gt;...) as an IList to add converted values to.</summary>
internal static class RepeatedList
{
    public static IList For(DynamicMessage message, FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 or FieldType.Enum => message.GetList<int>(field),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => message.GetList<long>(field),
        FieldType.UInt32 or FieldType.Fixed32 => message.GetList<uint>(field),
        FieldType.UInt64 or FieldType.Fixed64 => message.GetList<ulong>(field),
        FieldType.Float => message.GetList<float>(field),
        FieldType.Double => message.GetList<double>(field),
        FieldType.Bool => message.GetList<bool>(field),
        FieldType.String => message.GetList<string>(field),
        FieldType.Bytes => message.GetList<byte[]>(field),
        FieldType.Message or FieldType.Group => message.GetList<DynamicMessage>(field),
        _ => throw new InvalidOperationException($"Unexpected field type {field.FieldType}."),
    };
}
