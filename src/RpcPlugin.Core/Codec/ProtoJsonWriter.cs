using System.Buffers.Text;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Writes a <see cref="DynamicMessage"/> as proto3 JSON (https://protobuf.dev/programming-guides/json/) to a
/// <see cref="Utf8JsonWriter"/>; well-known types are delegated to <see cref="WellKnownJsonWriter"/>.
/// </summary>
internal sealed class ProtoJsonWriter
{
    private readonly ProtoJsonFormatOptions options;
    private int depth;

    public ProtoJsonWriter(Utf8JsonWriter json, ProtoJsonFormatOptions options)
    {
        Json = json;
        this.options = options;
    }

    public Utf8JsonWriter Json { get; }

    public ProtoJsonFormatOptions Options => options;

    /// <summary>Writes a message value: an object, or the special form of a well-known type.</summary>
    public void WriteMessage(DynamicMessage message)
    {
        if (++depth > options.RecursionLimit)
        {
            throw ValueErrors.RecursionLimit(options.RecursionLimit);
        }

        FieldTable table = FieldTable.For(message.Descriptor);
        if (table.WellKnown != WellKnownType.None)
        {
            WellKnownJsonWriter.Write(this, message, table);
        }
        else
        {
            Json.WriteStartObject();
            WriteFields(message, table);
            Json.WriteEndObject();
        }

        depth--;
    }

    /// <summary>Writes a message's fields as properties of the object being written (also used inside an Any).</summary>
    public void WriteFields(DynamicMessage message, FieldTable table)
    {
        foreach (FieldEntry field in table.InNumberOrder)
        {
            object? value = message.GetAt(field.Index);
            if (!ShouldWrite(field, value))
            {
                continue;
            }

            string name = options.PreserveProtoFieldNames ? field.Name : field.JsonName;
            try
            {
                Json.WritePropertyName(name);
                WriteFieldValue(field, value);
            }
            catch (ProtobufCodecException e)
            {
                e.WithParent(name);
                throw;
            }
        }
    }

    /// <summary>Writes one value of a field's element type (a map value, a list element or a singular value).</summary>
    public void WriteSingle(FieldEntry field, object value)
    {
        switch (field.Type)
        {
            case FieldType.Message:
            case FieldType.Group:
                // Checks that the value is a message of the field's type, as encoding does.
                SizeCalculator.TableOf(field, value);
                WriteMessage((DynamicMessage)value);
                break;
            case FieldType.Enum:
                WriteEnum(field.Descriptor.EnumType, value);
                break;
            default:
                WriteScalar(field.Type, value);
                break;
        }
    }

    /// <summary>Writes a string value; one JSON cannot carry (a lone surrogate) is a codec error, not an ArgumentException.</summary>
    public void WriteString(string value)
    {
        try
        {
            Json.WriteStringValue(value);
        }
        catch (ArgumentException e)
        {
            throw new ProtobufCodecException("A string is not valid UTF-16 (a lone surrogate) and cannot be written as JSON.", innerException: e);
        }
    }

    private bool ShouldWrite(FieldEntry field, object? value)
    {
        if (field.Shape != FieldShape.Singular)
        {
            return options.EmitDefaultValues || (value is ICollection collection && collection.Count > 0);
        }

        if (field.HasPresence)
        {
            return value is not null;
        }

        return options.EmitDefaultValues || (value is not null && !BoxedScalars.IsZero(field.Type, value));
    }

    private void WriteFieldValue(FieldEntry field, object? value)
    {
        switch (field.Shape)
        {
            case FieldShape.Map:
                WriteMap(field, value);
                break;
            case FieldShape.Repeated:
                WriteList(field, value);
                break;
            default:
                WriteSingle(field, value ?? FieldDefaults.Scalar(field.Descriptor));
                break;
        }
    }

    private void WriteList(FieldEntry field, object? value)
    {
        if (value is not null and not IList)
        {
            throw ValueErrors.WrongList(field.Type, value);
        }

        Json.WriteStartArray();
        if (value is IList list)
        {
            for (int i = 0; i < list.Count; i++)
            {
                try
                {
                    WriteSingle(field, list[i] ?? throw ValueErrors.NullElement());
                }
                catch (ProtobufCodecException e)
                {
                    e.WithParent($"[{i}]");
                    throw;
                }
            }
        }

        Json.WriteEndArray();
    }

    private void WriteMap(FieldEntry field, object? value)
    {
        if (value is not null and not IDictionary)
        {
            throw ValueErrors.WrongMap(value);
        }

        Json.WriteStartObject();
        if (value is IDictionary map)
        {
            FieldEntry keyField = field.MapKey;
            FieldEntry valueField = field.MapValue;
            IDictionaryEnumerator entries = map.GetEnumerator();
            while (entries.MoveNext())
            {
                string key = MapKeyText(keyField.Type, entries.Key);
                try
                {
                    Json.WritePropertyName(key);
                    WriteSingle(valueField, entries.Value ?? throw ValueErrors.NullElement());
                }
                catch (ProtobufCodecException e)
                {
                    e.WithParent($"[{key}]");
                    throw;
                }
            }
        }

        Json.WriteEndObject();
    }

    private void WriteEnum(EnumDescriptor type, object value)
    {
        if (value is not int number)
        {
            throw ValueErrors.WrongScalar(FieldType.Enum, value);
        }

        if (type.FullName == WellKnownTypes.NullValueEnum)
        {
            Json.WriteNullValue();
        }
        else if (type.FindValueByNumber(number) is { } known)
        {
            Json.WriteStringValue(known.Name);
        }
        else
        {
            Json.WriteNumberValue(number);
        }
    }

    private void WriteScalar(FieldType type, object value)
    {
        // Checks the .NET type the same way encoding does.
        BoxedScalars.Size(type, value);
        switch (value)
        {
            case int i:
                Json.WriteNumberValue(i);
                break;
            case uint u:
                Json.WriteNumberValue(u);
                break;
            case long l:
                // 64-bit integers are strings in proto3 JSON: JavaScript numbers cannot hold them exactly.
                Span<byte> signed = stackalloc byte[20];
                Utf8Formatter.TryFormat(l, signed, out int signedLength);
                Json.WriteStringValue(signed[..signedLength]);
                break;
            case ulong ul:
                Span<byte> unsigned = stackalloc byte[20];
                Utf8Formatter.TryFormat(ul, unsigned, out int unsignedLength);
                Json.WriteStringValue(unsigned[..unsignedLength]);
                break;
            case float f when float.IsFinite(f):
                Json.WriteNumberValue(f);
                break;
            case double d when double.IsFinite(d):
                Json.WriteNumberValue(d);
                break;
            case float f:
                WriteNonFinite(f);
                break;
            case double d:
                WriteNonFinite(d);
                break;
            case bool b:
                Json.WriteBooleanValue(b);
                break;
            case string s:
                WriteString(s);
                break;
            case byte[] bytes:
                Json.WriteBase64StringValue(bytes);
                break;
        }
    }

    private void WriteNonFinite(double value) =>
        Json.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");

    private static string MapKeyText(FieldType type, object key)
    {
        BoxedScalars.Size(type, key);
        return key switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            _ => Convert.ToString(key, CultureInfo.InvariantCulture)!,
        };
    }
}
