using System.Collections;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Conversion;

/// <summary>
/// Builds a <see cref="DynamicMessage"/> from what a user passes as a request: a dictionary, a record (PSCustomObject,
/// a previous response), a JSON string, or for well-known types the natural .NET value (DateTimeOffset for a
/// Timestamp...). Field names match the proto name or the JSON name, case-insensitively. Every error names the
/// field path and says what was expected.
/// </summary>
public sealed class MessageBuilder
{
    private static readonly ProtoJsonParseOptions IgnoringJson = new() { IgnoreUnknownFields = true };
    private readonly IValueAdapter adapter;
    private readonly Func<string, MessageDescriptor?> typeResolver;

    /// <summary>Creates a builder.</summary>
    /// <param name="adapter">Sees through the host's wrapper objects.</param>
    /// <param name="typeResolver">Finds message types by full name or Any type URL (for google.protobuf.Any).</param>
    public MessageBuilder(IValueAdapter adapter, Func<string, MessageDescriptor?> typeResolver)
    {
        this.adapter = adapter;
        this.typeResolver = typeResolver;
    }

    /// <summary>
    /// Skip names the message type lacks (a response of another type, rows with extra columns) instead of failing;
    /// a JSON request skips them too.
    /// </summary>
    public bool IgnoreUnknownFields { get; init; }

    /// <summary>Converts the fields it takes instead of this builder (Terraform's DynamicValue fields); none when null.</summary>
    public IFieldConverter? FieldConverter { get; init; }

    /// <summary>Builds a message of <paramref name="type"/> from <paramref name="value"/> (null: the empty message).</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidRequest"/>, naming the field path.</exception>
    public DynamicMessage Build(MessageDescriptor type, object? value)
    {
        DynamicMessage message = BuildMessage(type, adapter.Unwrap(value), string.Empty, 0);
        try
        {
            // Sizing walks the message the way the encoder will: deep Struct/Value nesting that the encoder would
            // refuse fails here, as a request error, rather than inside the call.
            DynamicCodec.CalculateSize(message);
        }
        catch (ProtobufCodecException e)
        {
            throw RequestError.Create(e.FieldPath, e.Reason);
        }

        return message;
    }

    internal DynamicMessage BuildMessage(MessageDescriptor type, object? value, string path, int depth)
    {
        if (depth > 100)
        {
            throw RequestError.Create(path, "the request nests more than 100 levels deep (is it recursive?)");
        }

        if (WellKnownValues.IsWellKnown(type)
            && WellKnownValues.TakesNaturalForm(type, IsFieldBag(value), () => Properties(value!, type, path).Any(p => p.Key == "@type")))
        {
            return WellKnownValues.FromClr(type, value, path, this, depth);
        }

        var message = new DynamicMessage(type);
        switch (value)
        {
            case null:
                return message;
            case string json:
                return ParseJson(type, json, path);
            case DynamicMessage existing when existing.Descriptor.FullName == type.FullName:
                return existing;
        }

        // The name each field was given by: a field named twice (proto and JSON name, or two spellings) is refused,
        // as proto3 JSON parsers refuse it, rather than the last one silently winning.
        var givenAs = new string?[type.Fields.InDeclarationOrder().Count];
        Dictionary<FieldDescriptor, object>? converted = null;
        foreach ((string name, object? fieldValue) in Properties(value, type, path))
        {
            if (FindField(type, name, path) is not { } field)
            {
                continue; // an unknown name, with IgnoreUnknownFields
            }

            string fieldPath = RequestError.Child(path, field.Name);
            if (givenAs[field.Index] is { } earlier)
            {
                throw RequestError.Create(fieldPath, $"the field is given more than once, as '{earlier}' and as '{name}'; give it once, by its proto name '{field.Name}' or its JSON name '{field.JsonName}'");
            }

            givenAs[field.Index] = name;
            object? unwrapped = adapter.Unwrap(fieldValue);
            if (unwrapped is null)
            {
                continue; // $null means "not set"
            }

            if (field.RealContainingOneof is { } oneof && message.WhichOneof(oneof) is { } other)
            {
                throw RequestError.Create(path, $"'{other.Name}' and '{field.Name}' are both members of oneof '{oneof.Name}'; set at most one");
            }

            if (FieldConverter?.Converts(field) == true)
            {
                (converted ??= new())[field] = unwrapped;
                continue;
            }

            SetField(message, field, unwrapped, fieldPath, depth);
        }

        FieldConverter?.Complete(message, converted, path);
        WellKnownValues.CheckFields(message, path);
        return message;
    }

    /// <summary>Whether a value is a bag of fields (a dictionary or record) rather than a natural value.</summary>
    internal bool IsFieldBag(object? value) => value is IDictionary || (value is not null && adapter.TryGetProperties(value, out _));

    internal object? Unwrap(object? value) => adapter.Unwrap(value);

    internal object ConvertScalar(FieldDescriptor field, object value, string path) => ScalarConverter.Convert(field, value, path, adapter);

    internal IEnumerable<KeyValuePair<string, object?>> Properties(object value, MessageDescriptor type, string path)
    {
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                yield return new(Convert.ToString(adapter.Unwrap(entry.Key), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, entry.Value);
            }
        }
        else if (adapter.TryGetProperties(value, out IEnumerable<KeyValuePair<string, object?>> properties))
        {
            foreach (KeyValuePair<string, object?> property in properties)
            {
                yield return property;
            }
        }
        else
        {
            throw RequestError.WrongValue(path, $"a hashtable, an object or a JSON string for message {type.FullName}", value);
        }
    }

    internal MessageDescriptor? ResolveType(string typeNameOrUrl) => typeResolver(typeNameOrUrl);

    private DynamicMessage ParseJson(MessageDescriptor type, string json, string path)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw RequestError.Create(path, $"the text for message {type.FullName} is empty; give JSON text such as {ExampleJson(type)}, a hashtable such as {ExampleHashtable(type)}, or $null for an empty message");
        }

        try
        {
            return ProtoJson.Parse(type, json, typeResolver, IgnoreUnknownFields ? IgnoringJson : null);
        }
        catch (ProtobufCodecException e)
        {
            throw RequestError.Create(path, $"the JSON for message {type.FullName} is not valid: {e.Message.TrimEnd('.')}");
        }
    }

    private static string ExampleJson(MessageDescriptor type) =>
        type.Fields.InDeclarationOrder() is [var first, ..] ? $"'{{\"{first.JsonName}\": ...}}'" : "'{}'";

    private static string ExampleHashtable(MessageDescriptor type) =>
        type.Fields.InDeclarationOrder() is [var first, ..] ? $"@{{ {first.Name} = ... }}" : "@{}";

    private void SetField(DynamicMessage message, FieldDescriptor field, object value, string path, int depth)
    {
        if (field.IsMap)
        {
            SetMap(message, field, value, path, depth);
        }
        else if (field.IsRepeated)
        {
            SetRepeated(message, field, value, path, depth);
        }
        else
        {
            message[field] = Single(field, value, path, depth);
        }
    }

    private object Single(FieldDescriptor field, object value, string path, int depth) =>
        field.FieldType is FieldType.Message or FieldType.Group
            ? BuildMessage(field.MessageType, value, path, depth + 1)
            : ConvertScalar(field, value, path);

    private void SetRepeated(DynamicMessage message, FieldDescriptor field, object value, string path, int depth)
    {
        // A lone value is a list of one; a byte[] given to repeated bytes is one item, not a list of bytes.
        bool isSequence = value is IEnumerable and not string and not IDictionary && !(value is byte[] && field.FieldType == FieldType.Bytes);
        IEnumerable items = isSequence ? (IEnumerable)value : new[] { value };
        IList list = RepeatedList.For(message, field);
        int index = 0;
        foreach (object? item in items)
        {
            string itemPath = RequestError.Item(path, index++);
            object? unwrapped = adapter.Unwrap(item) ?? throw RequestError.WrongValue(itemPath, "a value (repeated fields cannot hold $null)", null);
            list.Add(Single(field, unwrapped, itemPath, depth));
        }
    }

    private void SetMap(DynamicMessage message, FieldDescriptor field, object value, string path, int depth)
    {
        if (value is not IDictionary entries)
        {
            throw RequestError.WrongValue(path, "a hashtable or dictionary for a map field", value);
        }

        FieldDescriptor keyField = field.MessageType.FindFieldByNumber(1);
        FieldDescriptor valueField = field.MessageType.FindFieldByNumber(2);
        var map = message.GetMap(field);
        foreach (DictionaryEntry entry in entries)
        {
            object given = adapter.Unwrap(entry.Key)!;
            object key = ScalarConverter.Key(keyField, given, path);
            string entryPath = RequestError.Key(path, key);
            if (map.Contains(key))
            {
                throw RequestError.Create(entryPath, $"the key is given more than once (keys that convert to the same {keyField.FieldType.ToString().ToLowerInvariant()} are one key; this one was {RequestError.Describe(given)})");
            }

            object? entryValue = adapter.Unwrap(entry.Value) ?? throw RequestError.WrongValue(entryPath, "a value (map values cannot be $null)", null);
            map[key] = Single(valueField, entryValue, entryPath, depth);
        }
    }

    private FieldDescriptor? FindField(MessageDescriptor type, string name, string path)
    {
        FieldDescriptor? exact = type.FindFieldByName(name);
        if (exact is not null)
        {
            return exact;
        }

        foreach (FieldDescriptor field in type.Fields.InDeclarationOrder())
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(field.JsonName, name, StringComparison.OrdinalIgnoreCase))
            {
                return field;
            }
        }

        if (IgnoreUnknownFields)
        {
            return null;
        }

        string valid = string.Join(", ", type.Fields.InDeclarationOrder().Select(f => f.Name));
        throw RequestError.Create(path, $"message {type.FullName} has no field '{name}'; valid fields: {(valid.Length == 0 ? "(none)" : valid)}");
    }
}
