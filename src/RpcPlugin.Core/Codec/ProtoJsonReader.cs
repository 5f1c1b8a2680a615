using System.Collections;
using System.Collections.Specialized;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// Builds a <see cref="DynamicMessage"/> from a parsed proto3 JSON document. Field names may be JSON names or
/// proto names; null leaves a field unset (except for google.protobuf.Value and NullValue); well-known types are
/// delegated to <see cref="WellKnownJsonReader"/>.
/// </summary>
internal sealed class ProtoJsonReader
{
    private readonly ProtoJsonParseOptions options;
    private int depth;

    public ProtoJsonReader(Func<string, MessageDescriptor?>? typeResolver, ProtoJsonParseOptions options)
    {
        TypeResolver = typeResolver;
        this.options = options;
    }

    public Func<string, MessageDescriptor?>? TypeResolver { get; }

    public DynamicMessage ReadMessage(MessageDescriptor descriptor, JsonElement element)
    {
        if (++depth > options.RecursionLimit)
        {
            throw new ProtobufCodecException($"Messages are nested deeper than the recursion limit of {options.RecursionLimit}.");
        }

        FieldTable table = FieldTable.For(descriptor);
        DynamicMessage message = table.NewMessage();
        if (table.WellKnown != WellKnownType.None)
        {
            WellKnownJsonReader.Read(this, message, table, element);
        }
        else
        {
            ReadFields(message, table, element, skipTypeProperty: false);
        }

        depth--;
        return message;
    }

    /// <summary>Reads an object's properties as the message's fields (inside an Any, skipping its '@type').</summary>
    public void ReadFields(DynamicMessage message, FieldTable table, JsonElement element, bool skipTypeProperty)
    {
        JsonReadErrors.ExpectKind(element, JsonValueKind.Object, $"an object for message {table.Descriptor.FullName}");
        bool[]? givenNull = null; // fields given as null, which leaves their slot empty: null and then a value is a field twice too
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (skipTypeProperty && property.NameEquals(AnyJson.TypeProperty))
            {
                continue;
            }

            FieldEntry? field = table.FindByJsonName(property.Name);
            if (field is null)
            {
                if (options.IgnoreUnknownFields)
                {
                    continue;
                }

                throw new ProtobufCodecException($"Message {table.Descriptor.FullName} has no field '{property.Name}'; its fields are {FieldList(table)}.");
            }

            try
            {
                CheckNotYetSet(message, table, field, property.Value, givenNull);
                ReadField(message, field, property.Value);
                if (message.GetAt(field.Index) is null)
                {
                    (givenNull ??= new bool[table.Fields.Length])[field.Index] = true;
                }
            }
            catch (ProtobufCodecException e)
            {
                e.WithParent(property.Name);
                throw;
            }
        }
    }

    /// <summary>Reads one value of a field's element type; null only for an unknown enum name being skipped.</summary>
    public object? ReadSingle(FieldEntry field, JsonElement element) => field.Type switch
    {
        FieldType.Message or FieldType.Group => ReadMessage(field.MessageTable.Descriptor, element),
        FieldType.Enum => JsonScalarReader.ReadEnum(field.Descriptor.EnumType, element, options.IgnoreUnknownFields),
        _ => JsonScalarReader.Read(field.Type, element),
    };

    private void ReadField(DynamicMessage message, FieldEntry field, JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null && !(field.Shape == FieldShape.Singular && TakesNull(field)))
        {
            message.SetAt(field.Index, null);
            return;
        }

        switch (field.Shape)
        {
            case FieldShape.Map:
                ReadMap(message, field, element);
                break;
            case FieldShape.Repeated:
                ReadList(message, field, element);
                break;
            default:
                if (ReadElement(field, element) is { } value)
                {
                    message.SetMember(field.Index, value, field.OneofSiblings);
                }

                break;
        }
    }

    private void ReadList(DynamicMessage message, FieldEntry field, JsonElement element)
    {
        JsonReadErrors.ExpectKind(element, JsonValueKind.Array, "an array");
        var list = (IList)FieldDefaults.NewList(field.Type);
        int index = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            try
            {
                if (ReadElement(field, item) is { } value)
                {
                    list.Add(value);
                }
            }
            catch (ProtobufCodecException e)
            {
                e.WithParent($"[{index}]");
                throw;
            }

            index++;
        }

        message.SetAt(field.Index, list);
    }

    private void ReadMap(DynamicMessage message, FieldEntry field, JsonElement element)
    {
        JsonReadErrors.ExpectKind(element, JsonValueKind.Object, "an object for a map");
        FieldEntry keyField = field.MapKey;
        FieldEntry valueField = field.MapValue;
        var map = new OrderedDictionary();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            try
            {
                object key = JsonScalarReader.ReadMapKey(keyField.Type, property.Name);
                if (map.Contains(key))
                {
                    throw new ProtobufCodecException("The map key is given more than once (keys that read as the same number are one key).");
                }

                if (ReadElement(valueField, property.Value) is { } value)
                {
                    map[key] = value;
                }
            }
            catch (ProtobufCodecException e)
            {
                e.WithParent($"[{property.Name}]");
                throw;
            }
        }

        message.SetAt(field.Index, map);
    }

    /// <summary>A list element, map value or singular value: null is allowed only where it means something.</summary>
    private object? ReadElement(FieldEntry field, JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null && !TakesNull(field))
        {
            throw new ProtobufCodecException("Null is not allowed here (only for google.protobuf.Value or NullValue).");
        }

        return ReadSingle(field, element);
    }

    /// <summary>google.protobuf.Value and NullValue fields read JSON null as a value rather than as "unset".</summary>
    private static bool TakesNull(FieldEntry field) => field.Type switch
    {
        FieldType.Message => field.MessageTable.WellKnown == WellKnownType.Value,
        FieldType.Enum => field.Descriptor.EnumType.FullName == WellKnownTypes.NullValueEnum,
        _ => false,
    };

    private static void CheckNotYetSet(DynamicMessage message, FieldTable table, FieldEntry field, JsonElement value, bool[]? givenNull)
    {
        // The message is new, so a slot already filled was filled by this object: the same field twice.
        if (message.GetAt(field.Index) is not null || (givenNull is not null && givenNull[field.Index]))
        {
            throw new ProtobufCodecException($"The field is given more than once (as '{field.Name}' or '{field.JsonName}').");
        }

        if (field.OneofSiblings is { } siblings && value.ValueKind != JsonValueKind.Null)
        {
            foreach (int sibling in siblings)
            {
                if (message.GetAt(sibling) is not null)
                {
                    throw new ProtobufCodecException(
                        $"Oneof '{field.Descriptor.RealContainingOneof!.Name}' already has '{table.Fields[sibling].JsonName}' set; only one member may be given.");
                }
            }
        }
    }

    private static string FieldList(FieldTable table)
    {
        var names = new string[table.Fields.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = table.Fields[i].JsonName;
        }

        return names.Length == 0 ? "none" : string.Join(", ", names);
    }
}
