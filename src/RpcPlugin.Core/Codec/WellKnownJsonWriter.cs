using System.Collections;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// The special JSON forms of the well-known types: Timestamp and Duration strings, wrappers as their bare value,
/// Struct/Value/ListValue as plain JSON, Any with <c>@type</c>, FieldMask as a string and Empty as <c>{}</c>.
/// </summary>
internal static class WellKnownJsonWriter
{
    private const int ValueKindNull = 1;
    private const int ValueKindNumber = 2;
    private const int ValueKindString = 3;
    private const int ValueKindBool = 4;
    private const int ValueKindStruct = 5;
    private const int ValueKindList = 6;

    public static void Write(ProtoJsonWriter writer, DynamicMessage message, FieldTable table)
    {
        switch (table.WellKnown)
        {
            case WellKnownType.Timestamp:
                writer.Json.WriteStringValue(TimeJson.FormatTimestamp(Get<long>(message, table, 1), Get<int>(message, table, 2)));
                break;
            case WellKnownType.Duration:
                writer.Json.WriteStringValue(TimeJson.FormatDuration(Get<long>(message, table, 1), Get<int>(message, table, 2)));
                break;
            case WellKnownType.FieldMask:
                writer.WriteString(FieldMaskJson.Format(Field(message, table, 1) as List<string> ?? new List<string>()));
                break;
            case WellKnownType.Struct:
                WriteStruct(writer, message, table);
                break;
            case WellKnownType.Value:
                WriteValue(writer, message, table);
                break;
            case WellKnownType.ListValue:
                WriteListValue(writer, message, table);
                break;
            case WellKnownType.Any:
                AnyJson.Write(writer, message, table);
                break;
            case WellKnownType.Empty:
                writer.Json.WriteStartObject();
                writer.Json.WriteEndObject();
                break;
            default:
                // Wrappers: the bare value, which is the default when the wrapper is present but empty.
                FieldEntry valueField = table.Find(1)!;
                writer.WriteSingle(valueField, message.GetAt(valueField.Index) ?? FieldDefaults.Scalar(valueField.Descriptor));
                break;
        }
    }

    private static void WriteStruct(ProtoJsonWriter writer, DynamicMessage message, FieldTable table)
    {
        FieldEntry fields = table.Find(1)!;
        writer.Json.WriteStartObject();
        if (message.GetAt(fields.Index) is IDictionary map)
        {
            IDictionaryEnumerator entries = map.GetEnumerator();
            while (entries.MoveNext())
            {
                string key = (string)entries.Key;
                try
                {
                    writer.Json.WritePropertyName(key);
                    writer.WriteSingle(fields.MapValue, entries.Value ?? throw ValueErrors.NullElement());
                }
                catch (ProtobufCodecException e)
                {
                    e.WithParent($"[{key}]");
                    throw;
                }
            }
        }

        writer.Json.WriteEndObject();
    }

    private static void WriteValue(ProtoJsonWriter writer, DynamicMessage message, FieldTable table)
    {
        foreach (FieldEntry field in table.InNumberOrder)
        {
            object? value = message.GetAt(field.Index);
            if (value is null)
            {
                continue;
            }

            switch (field.Number)
            {
                case ValueKindNull:
                    writer.Json.WriteNullValue();
                    return;
                case ValueKindNumber when value is double number && !double.IsFinite(number):
                    // Written as "NaN" it would read back as the string_value "NaN": another value.
                    throw new ProtobufCodecException($"A google.protobuf.Value holds the number {number.ToString(System.Globalization.CultureInfo.InvariantCulture)}, which struct.proto makes an error: JSON has no such number.");
                case ValueKindNumber:
                case ValueKindString:
                case ValueKindBool:
                case ValueKindStruct:
                case ValueKindList:
                    writer.WriteSingle(field, value);
                    return;
            }
        }

        throw new ProtobufCodecException("A google.protobuf.Value has none of its kinds set, which JSON cannot represent.");
    }

    private static void WriteListValue(ProtoJsonWriter writer, DynamicMessage message, FieldTable table)
    {
        FieldEntry values = table.Find(1)!;
        writer.Json.WriteStartArray();
        if (message.GetAt(values.Index) is IList list)
        {
            for (int i = 0; i < list.Count; i++)
            {
                try
                {
                    writer.WriteSingle(values, list[i] ?? throw ValueErrors.NullElement());
                }
                catch (ProtobufCodecException e)
                {
                    e.WithParent($"[{i}]");
                    throw;
                }
            }
        }

        writer.Json.WriteEndArray();
    }

    private static object? Field(DynamicMessage message, FieldTable table, int number) =>
        table.Find(number) is { } field ? message.GetAt(field.Index) : null;

    private static T Get<T>(DynamicMessage message, FieldTable table, int number)
        where T : struct => Field(message, table, number) switch
        {
            null => default,
            T value => value,
            object other => throw ValueErrors.WrongScalar(table.Find(number)!.Type, other),
        };
}
