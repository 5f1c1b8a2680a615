using System.Collections;
using System.Collections.Specialized;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Core.Conversion;

/// <summary>
/// Turns a decoded message into host values (docs/help/about_RpcPlugin.md, TYPE MAPPING): a record per message
/// with every field in proto order (unset proto3 scalars at their default, unset oneof members and message fields
/// null, so records of a type always have the same shape), arrays for repeated fields, ordered hashtables for maps
/// with string keys and <see cref="ProtoMap"/>s for integer and bool keys, enum names, and the natural forms of
/// well-known types.
/// </summary>
public sealed class MessageProjector
{
    private readonly IRecordFactory factory;
    private readonly Func<string, MessageDescriptor?> resolve;

    /// <summary>Creates a projector.</summary>
    public MessageProjector(IRecordFactory factory, Func<string, MessageDescriptor?> resolve)
    {
        this.factory = factory;
        this.resolve = resolve;
    }

    /// <summary>Converts the fields it takes instead of this projector (Terraform's DynamicValue fields); none when null.</summary>
    public IFieldConverter? FieldConverter { get; init; }

    /// <summary>The host value of a message: a record, or a well-known type's natural value (null for Empty).</summary>
    public object? Project(DynamicMessage message)
    {
        MessageDescriptor type = message.Descriptor;
        if (type.FullName == "google.protobuf.Any")
        {
            return ProjectAny(message);
        }

        if (WellKnownValues.IsWellKnown(type))
        {
            return WellKnownValues.ToClr(message);
        }

        var properties = new List<KeyValuePair<string, object?>>(type.Fields.InDeclarationOrder().Count);
        AddFields(message, properties);
        return factory.CreateRecord(type, properties);
    }

    /// <summary>
    /// Every field in declaration order, oneof members included ($null unless set): records of one message type
    /// always have the same properties, so a script under Set-StrictMode can read any field, and a table of replies
    /// has the same columns whichever member each one set.
    /// </summary>
    private void AddFields(DynamicMessage message, List<KeyValuePair<string, object?>> properties)
    {
        foreach (FieldDescriptor field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (FieldConverter is not null && FieldConverter.TryProject(message, field, out object? converted))
            {
                properties.Add(new(field.Name, converted));
                continue;
            }

            try
            {
                properties.Add(new(field.Name, ProjectField(field, message[field])));
            }
            catch (ProtobufCodecException e)
            {
                // A value .NET cannot hold (a Timestamp past year 9999 from a misbehaving plugin): say where.
                e.WithParent(field.Name);
                throw;
            }
        }
    }

    private object? ProjectField(FieldDescriptor field, object? value)
    {
        if (field.IsMap)
        {
            return ProjectMap(field, value as OrderedDictionary);
        }

        if (field.IsRepeated)
        {
            return ProjectList(field, value as IList);
        }

        if (value is null)
        {
            // Message fields and proto3 'optional' (a synthetic oneof) have presence: unset is $null. Other scalars,
            // proto2 ones included, read as their default, as generated code's getters do.
            if (field.FieldType is FieldType.Message or FieldType.Group || field.ContainingOneof is not null)
            {
                return null;
            }

            value = FieldDefaults.For(field)!;
        }

        return ProjectSingle(field, value);
    }

    private object? ProjectSingle(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.Message or FieldType.Group => Project((DynamicMessage)value),
        FieldType.Enum => EnumName(field.EnumType, (int)value),
        _ => value,
    };

    private object ProjectList(FieldDescriptor field, IList? list)
    {
        if (list is null || list.Count == 0)
        {
            return field.FieldType switch
            {
                FieldType.Message or FieldType.Group or FieldType.Enum => Array.Empty<object>(),
                _ => Array.CreateInstance(ElementType(field), 0),
            };
        }

        switch (field.FieldType)
        {
            case FieldType.Enum:
                return ((List<int>)list).Select(n => EnumName(field.EnumType, n)).ToArray();
            case FieldType.Message or FieldType.Group:
                var projected = new object?[list.Count];
                for (int i = 0; i < projected.Length; i++)
                {
                    projected[i] = Project((DynamicMessage)list[i]!);
                }

                return projected;
            default:
                Array array = Array.CreateInstance(ElementType(field), list.Count);
                list.CopyTo(array, 0);
                return array;
        }
    }

    /// <summary>
    /// String keys: an ordered hashtable. Integer and bool keys: a <see cref="ProtoMap"/>, whose indexer converts
    /// the key (on an OrderedDictionary PowerShell reads <c>$map[7]</c> as "the eighth entry") and whose entries
    /// enumerate with text keys, so ConvertTo-Json writes the map as proto3 JSON does.
    /// </summary>
    private IDictionary ProjectMap(FieldDescriptor field, OrderedDictionary? map)
    {
        FieldDescriptor valueField = field.MessageType.FindFieldByNumber(2);
        Type? keyType = KeyType(field.MessageType.FindFieldByNumber(1));
        IDictionary result = keyType is null ? new OrderedDictionary() : new ProtoMap(keyType);
        if (map is not null)
        {
            foreach (DictionaryEntry entry in map)
            {
                object? value = entry.Value is null ? null : ProjectSingle(valueField, entry.Value);
                if (result is ProtoMap typed)
                {
                    typed.AddEntry(entry.Key, value);
                }
                else
                {
                    result[entry.Key] = value;
                }
            }
        }

        return result;
    }

    private static Type? KeyType(FieldDescriptor keyField) => keyField.FieldType switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => typeof(int),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => typeof(long),
        FieldType.UInt32 or FieldType.Fixed32 => typeof(uint),
        FieldType.UInt64 or FieldType.Fixed64 => typeof(ulong),
        FieldType.Bool => typeof(bool),
        _ => null,
    };

    private object ProjectAny(DynamicMessage any)
    {
        (string typeUrl, DynamicMessage? content, byte[] bytes) = WellKnownValues.Unpack(any, resolve);
        var properties = new List<KeyValuePair<string, object?>> { new("@type", typeUrl) };
        if (content is null)
        {
            properties.Add(new("value", bytes)); // a type these descriptors do not know: keep the raw bytes
        }
        else if (WellKnownValues.IsWellKnown(content.Descriptor))
        {
            properties.Add(new("value", Project(content)));
        }
        else
        {
            AddFields(content, properties);
        }

        return factory.CreateRecord(null, properties);
    }

    private static object EnumName(EnumDescriptor type, int number) =>
        type.FindValueByNumber(number)?.Name ?? (object)number;

    private static Type ElementType(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => typeof(int),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => typeof(long),
        FieldType.UInt32 or FieldType.Fixed32 => typeof(uint),
        FieldType.UInt64 or FieldType.Fixed64 => typeof(ulong),
        FieldType.Float => typeof(float),
        FieldType.Double => typeof(double),
        FieldType.Bool => typeof(bool),
        FieldType.String => typeof(string),
        FieldType.Bytes => typeof(byte[]),
        _ => typeof(object),
    };
}
