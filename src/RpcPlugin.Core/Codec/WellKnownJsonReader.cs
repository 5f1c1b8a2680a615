using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace RpcPlugin.Core.Codec;

/// <summary>Reads the special JSON forms of the well-known types into their messages.</summary>
internal static class WellKnownJsonReader
{
    public static void Read(ProtoJsonReader reader, DynamicMessage message, FieldTable table, JsonElement element)
    {
        switch (table.WellKnown)
        {
            case WellKnownType.Timestamp:
                string timestamp = JsonScalarReader.ReadString(element);
                if (TimeJson.ParseTimestamp(timestamp, lenient: false, out long seconds, out int nanos) is { } timestampProblem)
                {
                    throw new ProtobufCodecException($"'{timestamp}' is not a valid timestamp for google.protobuf.Timestamp: {timestampProblem} (e.g. \"2024-05-01T12:30:00.5Z\").");
                }

                SetSecondsAndNanos(message, table, seconds, nanos);
                break;
            case WellKnownType.Duration:
                string duration = JsonScalarReader.ReadString(element);
                if (TimeJson.ParseDuration(duration, lenient: false, out seconds, out nanos) is { } durationProblem)
                {
                    throw new ProtobufCodecException($"'{duration}' is not a valid duration for google.protobuf.Duration: {durationProblem} (e.g. \"1.5s\", \"-0.25s\").");
                }

                SetSecondsAndNanos(message, table, seconds, nanos);
                break;
            case WellKnownType.FieldMask:
                message.SetAt(table.Find(1)!.Index, FieldMaskJson.Parse(JsonScalarReader.ReadString(element)));
                break;
            case WellKnownType.Struct:
                ReadStruct(reader, message, table, element);
                break;
            case WellKnownType.Value:
                ReadValue(reader, message, table, element);
                break;
            case WellKnownType.ListValue:
                ReadListValue(reader, message, table, element);
                break;
            case WellKnownType.Any:
                AnyJson.Read(reader, message, table, element);
                break;
            case WellKnownType.Empty:
                reader.ReadFields(message, table, element, skipTypeProperty: false);
                break;
            default:
                FieldEntry valueField = table.Find(1)!;
                message.SetAt(valueField.Index, reader.ReadSingle(valueField, element));
                break;
        }
    }

    private static void SetSecondsAndNanos(DynamicMessage message, FieldTable table, long seconds, int nanos)
    {
        message.SetAt(table.Find(1)!.Index, Boxes.Int64(seconds));
        message.SetAt(table.Find(2)!.Index, Boxes.Int32(nanos));
    }

    private static void ReadStruct(ProtoJsonReader reader, DynamicMessage message, FieldTable table, JsonElement element)
    {
        JsonReadErrors.ExpectKind(element, JsonValueKind.Object, "an object for google.protobuf.Struct");
        FieldEntry fields = table.Find(1)!;
        var map = new OrderedDictionary();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            try
            {
                if (map.Contains(property.Name))
                {
                    throw new ProtobufCodecException("The key is given more than once.");
                }

                map[property.Name] = reader.ReadMessage(fields.MapValue.MessageTable.Descriptor, property.Value);
            }
            catch (ProtobufCodecException e)
            {
                e.WithParent($"[{property.Name}]");
                throw;
            }
        }

        message.SetAt(fields.Index, map);
    }

    private static void ReadValue(ProtoJsonReader reader, DynamicMessage message, FieldTable table, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                message.SetAt(table.Find(1)!.Index, Boxes.Int32(0));
                break;
            case JsonValueKind.Number:
                double number = JsonScalarReader.ReadDouble(element, "a Value number");
                CheckExactInteger(element, number);
                message.SetAt(table.Find(2)!.Index, Boxes.Double(number));
                break;
            case JsonValueKind.String:
                message.SetAt(table.Find(3)!.Index, JsonScalarReader.ReadString(element));
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                message.SetAt(table.Find(4)!.Index, Boxes.Bool(element.ValueKind == JsonValueKind.True));
                break;
            case JsonValueKind.Object:
                FieldEntry structField = table.Find(5)!;
                message.SetAt(structField.Index, reader.ReadMessage(structField.MessageTable.Descriptor, element));
                break;
            default:
                FieldEntry listField = table.Find(6)!;
                message.SetAt(listField.Index, reader.ReadMessage(listField.MessageTable.Descriptor, element));
                break;
        }
    }

    /// <summary>
    /// Refuses an integer literal that the Value's double would change (9007199254740993 would be sent as
    /// 9007199254740992), as the same number in a hashtable is refused: a string keeps every digit.
    /// </summary>
    private static void CheckExactInteger(JsonElement element, double number)
    {
        const double ExactLimit = 9_007_199_254_740_992; // 2^53: a double below it is exact; at it, 2^53 + 1 was rounded
        string literal = element.GetRawText();
        if (Math.Abs(number) < ExactLimit || literal.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
        {
            return;
        }

        if (BigInteger.Parse(literal, CultureInfo.InvariantCulture) != new BigInteger(number))
        {
            throw new ProtobufCodecException($"The integer {literal} is not exactly a double, which a google.protobuf.Value's numbers are (it would be {number.ToString("R", CultureInfo.InvariantCulture)}); give it as a string (\"{literal}\") to keep every digit.");
        }
    }

    private static void ReadListValue(ProtoJsonReader reader, DynamicMessage message, FieldTable table, JsonElement element)
    {
        JsonReadErrors.ExpectKind(element, JsonValueKind.Array, "an array for google.protobuf.ListValue");
        FieldEntry values = table.Find(1)!;
        var list = (IList)FieldDefaults.NewList(values.Type);
        int index = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            try
            {
                list.Add(reader.ReadMessage(values.MessageTable.Descriptor, item));
            }
            catch (ProtobufCodecException e)
            {
                e.WithParent($"[{index}]");
                throw;
            }

            index++;
        }

        message.SetAt(values.Index, list);
    }
}
