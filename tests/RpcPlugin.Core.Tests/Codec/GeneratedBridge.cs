using System;
using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>
/// Copies between generated messages and dynamic ones through Google.Protobuf's reflection accessors, never
/// through bytes, so tests can compare the codec's results with an independent oracle.
/// </summary>
internal static class GeneratedBridge
{
    /// <summary>The dynamic message holding the same field values as a generated one.</summary>
    public static DynamicMessage ToDynamic(IMessage message)
    {
        var result = new DynamicMessage(message.Descriptor);
        foreach (FieldDescriptor field in message.Descriptor.Fields.InDeclarationOrder())
        {
            IFieldAccessor accessor = field.Accessor;
            if (field.IsMap)
            {
                var map = result.GetMap(field);
                FieldDescriptor valueField = field.MessageType.FindFieldByNumber(2);
                foreach (DictionaryEntry entry in (IDictionary)accessor.GetValue(message))
                {
                    map[ToDynamicValue(field.MessageType.FindFieldByNumber(1), entry.Key)] = ToDynamicValue(valueField, entry.Value!);
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)FieldDefaults.For(field)!;
                foreach (object item in (IList)accessor.GetValue(message))
                {
                    list.Add(ToDynamicValue(field, item));
                }

                result[field] = list;
            }
            else if (!field.HasPresence || accessor.HasValue(message))
            {
                result[field] = ToDynamicValue(field, accessor.GetValue(message));
            }
        }

        return result;
    }

    /// <summary>A new generated message of type <typeparamref name="T"/> with the dynamic message's values.</summary>
    public static T ToGenerated<T>(DynamicMessage message)
        where T : IMessage, new() => (T)ToGenerated(message, typeof(T));

    public static IMessage ToGenerated(DynamicMessage message, Type clrType)
    {
        var result = (IMessage)Activator.CreateInstance(clrType)!;
        foreach (FieldDescriptor field in result.Descriptor.Fields.InDeclarationOrder())
        {
            object? value = message[message.Descriptor.FindFieldByNumber(field.FieldNumber)];
            if (value is null)
            {
                continue;
            }

            if (field.IsMap)
            {
                var target = (IDictionary)field.Accessor.GetValue(result);
                FieldDescriptor valueField = field.MessageType.FindFieldByNumber(2);
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    target[entry.Key] = ToGeneratedValue(valueField, entry.Value!);
                }
            }
            else if (field.IsRepeated)
            {
                var target = (IList)field.Accessor.GetValue(result);
                foreach (object item in (IList)value)
                {
                    target.Add(ToGeneratedValue(field, item));
                }
            }
            else
            {
                field.Accessor.SetValue(result, ToGeneratedValue(field, value));
            }
        }

        return result;
    }

    private static object ToDynamicValue(FieldDescriptor field, object value) => field.FieldType switch
    {
        // Generated code exposes wrapper fields as their bare (nullable) value.
        FieldType.Message when IsWrapper(field.MessageType) => Wrap(field.MessageType, value),
        FieldType.Message or FieldType.Group => ToDynamic((IMessage)value),
        FieldType.Enum => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
        FieldType.Bytes => ((ByteString)value).ToByteArray(),
        _ => value,
    };

    private static object ToGeneratedValue(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.Message when IsWrapper(field.MessageType) => Unwrap((DynamicMessage)value),
        FieldType.Message or FieldType.Group => ToGenerated((DynamicMessage)value, field.MessageType.ClrType),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, (int)value),
        FieldType.Bytes => ByteString.CopyFrom((byte[])value),
        _ => value,
    };

    private static bool IsWrapper(MessageDescriptor type) => type.File.Name == "google/protobuf/wrappers.proto";

    private static DynamicMessage Wrap(MessageDescriptor wrapperType, object value)
    {
        var wrapper = new DynamicMessage(wrapperType);
        FieldDescriptor valueField = wrapperType.FindFieldByNumber(1);
        wrapper[valueField] = ToDynamicValue(valueField, value);
        return wrapper;
    }

    private static object Unwrap(DynamicMessage wrapper)
    {
        FieldDescriptor valueField = wrapper.Descriptor.FindFieldByNumber(1);
        return ToGeneratedValue(valueField, wrapper[valueField] ?? FieldDefaults.For(valueField)!);
    }

    /// <summary>The generated parser's result for bytes.</summary>
    public static T Parse<T>(byte[] bytes)
        where T : IMessage<T>, new() => new MessageParser<T>(() => new T()).ParseFrom(bytes);
}
