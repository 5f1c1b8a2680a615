using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Core.Conversion;

/// <summary>
/// The natural .NET forms of protobuf's well-known types (about_RpcPlugin, TYPE MAPPING): Timestamp ⇄ DateTimeOffset, Duration ⇄
/// TimeSpan, wrappers ⇄ their value, Struct ⇄ ordered dictionary, Value ⇄ plain value, ListValue ⇄ array,
/// FieldMask ⇄ string[], Empty ⇄ nothing, Any ⇄ a record with '@type' and the packed message's fields.
/// </summary>
internal static class WellKnownValues
{
    private const string Prefix = "google.protobuf.";
    private const string AnyTypeUrlPrefix = "type.googleapis.com/";
    private const long NanosPerTick = 100;
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    // Each level of a Struct or ListValue is two or three message levels on the wire; the encoder's own limit (100
    // messages) is checked once the request is built. This bound only stops runaway recursion early.
    private const int MaxNaturalNesting = 100;

    public static bool IsWellKnown(MessageDescriptor type) => WellKnownTypes.Of(type) != WellKnownType.None;

    /// <summary>
    /// Whether a value is the natural form of the type rather than its fields spelled out (<c>@{ seconds = 1 }</c>
    /// for a Timestamp stays a field bag; a dictionary for a Struct is its content; an Any needs an '@type' key).
    /// </summary>
    public static bool TakesNaturalForm(MessageDescriptor type, bool isFieldBag, Func<bool> hasTypeKey) => type.FullName switch
    {
        "google.protobuf.Struct" or "google.protobuf.Value" or "google.protobuf.ListValue" or "google.protobuf.Empty" => true,
        "google.protobuf.Any" => isFieldBag && hasTypeKey(),
        _ => !isFieldBag,
    };

    public static DynamicMessage FromClr(MessageDescriptor type, object? value, string path, MessageBuilder builder, int depth)
    {
        var message = new DynamicMessage(type);
        switch (type.FullName)
        {
            case "google.protobuf.Timestamp":
                SetSecondsAndNanos(message, TimeValues.ToTimestamp(value, path));
                break;
            case "google.protobuf.Duration":
                SetSecondsAndNanos(message, TimeValues.ToDuration(value, path));
                break;
            case "google.protobuf.Struct":
                FillStruct(message, value, path, builder, depth);
                break;
            case "google.protobuf.Value":
                FillValue(message, value, path, builder, depth);
                break;
            case "google.protobuf.ListValue":
                FillList(message, value, path, builder, depth);
                break;
            case "google.protobuf.Empty":
                if (value is not null && builder.Properties(value, type, path).Any())
                {
                    throw RequestError.WrongValue(path, "$null or an empty hashtable for google.protobuf.Empty", value);
                }

                break;
            case "google.protobuf.FieldMask":
                FillFieldMask(message, value, path, builder);
                break;
            case "google.protobuf.Any":
                FillAny(message, value!, path, builder, depth);
                break;
            default:
                FieldDescriptor valueField = type.FindFieldByNumber(1);
                message[valueField] = builder.ConvertScalar(valueField, value!, path);
                break;
        }

        return message;
    }

    /// <summary>
    /// Refuses a Timestamp, Duration or FieldMask given as its fields (<c>@{ seconds = 1; nanos = 5 }</c>,
    /// <c>@{ paths = ... }</c>) that its natural form would refuse: out of range, not normalized, a path with no
    /// JSON form. The plugin's runtime would refuse it too, or read it otherwise.
    /// </summary>
    public static void CheckFields(DynamicMessage message, string path)
    {
        if (message.Descriptor.FullName != "google.protobuf.FieldMask")
        {
            TimeValues.CheckFields(message, path);
            return;
        }

        int index = 0;
        foreach (string given in (IEnumerable<string>?)message[message.Descriptor.FindFieldByNumber(1)] ?? Array.Empty<string>())
        {
            string itemPath = RequestError.Item(RequestError.Child(path, "paths"), index++);
            try
            {
                FieldMaskJson.CheckPath(given);
            }
            catch (ProtobufCodecException e)
            {
                throw RequestError.Create(itemPath, e.Reason.TrimEnd('.'));
            }
        }
    }

    /// <summary>
    /// The natural value of a well-known message other than Any, which the projector flattens into a record (see
    /// <see cref="Unpack"/>); a Struct, Value or ListValue cannot hold an Any.
    /// </summary>
    public static object? ToClr(DynamicMessage message)
    {
        MessageDescriptor type = message.Descriptor;
        switch (type.FullName)
        {
            case "google.protobuf.Timestamp":
                (long seconds, int nanos) = SecondsAndNanos(message);
                TimeJson.CheckTimestamp(seconds, nanos);

                // DateTimeOffset holds 100 ns: finer digits are cut (-AsJson and -Raw keep them).
                return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / NanosPerTick);
            case "google.protobuf.Duration":
                (long durationSeconds, int durationNanos) = SecondsAndNanos(message);
                TimeJson.CheckDuration(durationSeconds, durationNanos);
                return TimeSpan.FromTicks((durationSeconds * TicksPerSecond) + (durationNanos / NanosPerTick));
            case "google.protobuf.Struct":
                return StructToDictionary(message);
            case "google.protobuf.Value":
                return ValueToClr(message);
            case "google.protobuf.ListValue":
                return ((IEnumerable<DynamicMessage>?)message[type.FindFieldByNumber(1)] ?? Array.Empty<DynamicMessage>())
                    .Select(ValueToClr).ToArray();
            case "google.protobuf.Empty":
                return null;
            case "google.protobuf.FieldMask":
                return ((IEnumerable<string>?)message[type.FindFieldByNumber(1)] ?? Array.Empty<string>()).ToArray();
            default:
                FieldDescriptor valueField = type.FindFieldByNumber(1);
                return message[valueField] ?? FieldDefaults.For(valueField);
        }
    }

    private static void SetSecondsAndNanos(DynamicMessage message, (long Seconds, int Nanos) value)
    {
        message[message.Descriptor.FindFieldByNumber(1)] = value.Seconds;
        message[message.Descriptor.FindFieldByNumber(2)] = value.Nanos;
    }

    private static (long Seconds, int Nanos) SecondsAndNanos(DynamicMessage message) =>
        ((long?)message[message.Descriptor.FindFieldByNumber(1)] ?? 0, (int?)message[message.Descriptor.FindFieldByNumber(2)] ?? 0);

    private static void FillStruct(DynamicMessage message, object? value, string path, MessageBuilder builder, int depth)
    {
        if (value is null)
        {
            return;
        }

        FieldDescriptor fields = message.Descriptor.FindFieldByNumber(1);
        MessageDescriptor valueType = fields.MessageType.FindFieldByNumber(2).MessageType;
        var map = message.GetMap(fields);
        foreach ((string key, object? entry) in builder.Properties(value, message.Descriptor, path))
        {
            if (map.Contains(key))
            {
                throw RequestError.Create(RequestError.Key(path, key), "the key is given more than once (keys that read the same as text, such as 1 and '1', are one key)");
            }

            var item = new DynamicMessage(valueType);
            FillValue(item, builder.Unwrap(entry), RequestError.Key(path, key), builder, depth + 1);
            map[key] = item;
        }
    }

    private static void FillValue(DynamicMessage message, object? value, string path, MessageBuilder builder, int depth)
    {
        // Checked before going deeper: nesting far beyond the limit must not recurse all the way down first.
        if (depth > MaxNaturalNesting)
        {
            throw RequestError.Create(path, $"the value nests more than {MaxNaturalNesting} levels deep");
        }

        MessageDescriptor type = message.Descriptor;
        FieldDescriptor Field(int number) => type.FindFieldByNumber(number);
        switch (value)
        {
            case null:
                message[Field(1)] = 0; // NULL_VALUE
                break;
            case bool flag:
                message[Field(4)] = flag;
                break;
            case string text:
                message[Field(3)] = text;
                break;
            case var number when ValueNumbers.IsNumber(number):
                message[Field(2)] = ValueNumbers.ToDouble(number, path);
                break;
            case var bag when builder.IsFieldBag(bag):
                var inner = new DynamicMessage(Field(5).MessageType);
                FillStruct(inner, bag, path, builder, depth + 1);
                message[Field(5)] = inner;
                break;
            case IEnumerable items:
                var list = new DynamicMessage(Field(6).MessageType);
                FillList(list, items, path, builder, depth + 1);
                message[Field(6)] = list;
                break;
            case DateTime or DateTimeOffset or TimeSpan when TimeValues.ToJsonText(value) is { } text:
                message[Field(3)] = text; // as proto3 JSON writes a Timestamp or Duration
                break;
            case IFormattable formattable:
                message[Field(3)] = formattable.ToString(null, CultureInfo.InvariantCulture);
                break;
            default:
                throw RequestError.WrongValue(path, "a JSON-like value (null, bool, number, string, hashtable or array) for google.protobuf.Value", value);
        }
    }

    private static void FillList(DynamicMessage message, object? value, string path, MessageBuilder builder, int depth)
    {
        if (value is null)
        {
            return;
        }

        if (value is not IEnumerable items || value is string || value is IDictionary)
        {
            throw RequestError.WrongValue(path, "an array for google.protobuf.ListValue", value);
        }

        FieldDescriptor values = message.Descriptor.FindFieldByNumber(1);
        List<DynamicMessage> list = message.GetList<DynamicMessage>(values);
        int index = 0;
        foreach (object? item in items)
        {
            var element = new DynamicMessage(values.MessageType);
            FillValue(element, builder.Unwrap(item), RequestError.Item(path, index++), builder, depth + 1);
            list.Add(element);
        }
    }

    /// <summary>
    /// One string is the mask's proto3 JSON text ('fooBar.baz,qux': lowerCamelCase, sent as foo_bar.baz and qux);
    /// an array holds the paths as the message does (snake_case, what a response gives). Either way every path
    /// must have a JSON form, so that what is sent reads back the same from the plugin's side and in -AsJson.
    /// </summary>
    private static void FillFieldMask(DynamicMessage message, object? value, string path, MessageBuilder builder)
    {
        var paths = new List<string>();
        switch (value)
        {
            case string text:
                try
                {
                    paths.AddRange(FieldMaskJson.Parse(text, lenient: true));
                }
                catch (ProtobufCodecException e)
                {
                    throw RequestError.Create(path, $"{e.Reason.TrimEnd('.')} (an array of paths takes them as they are: @('foo_bar'))");
                }

                break;
            case IEnumerable items when value is not IDictionary:
                int index = 0;
                foreach (object? item in items)
                {
                    string itemPath = RequestError.Item(path, index++);
                    string text = builder.Unwrap(item) as string ?? throw RequestError.WrongValue(itemPath, "a path (a string such as 'a.b_c') for google.protobuf.FieldMask", builder.Unwrap(item));
                    try
                    {
                        FieldMaskJson.CheckPath(text);
                    }
                    catch (ProtobufCodecException e)
                    {
                        throw RequestError.Create(itemPath, $"{e.Reason.TrimEnd('.')} (one string is read as JSON's lowerCamelCase: 'fooBar' for foo_bar)");
                    }

                    paths.Add(text);
                }

                break;
            default:
                throw RequestError.WrongValue(path, "a string ('a.b,c') or an array of paths for google.protobuf.FieldMask", value);
        }

        message.GetList<string>(message.Descriptor.FindFieldByNumber(1)).AddRange(paths);
    }

    private static void FillAny(DynamicMessage message, object value, string path, MessageBuilder builder, int depth)
    {
        var properties = builder.Properties(value, message.Descriptor, path).ToList();
        string typeUrl = Convert.ToString(builder.Unwrap(properties.First(f => f.Key == "@type").Value), CultureInfo.InvariantCulture) ?? string.Empty;
        MessageDescriptor packed = builder.ResolveType(typeUrl)
            ?? throw RequestError.Create(path, $"the Any type '{typeUrl}' is not known to this session's descriptors");
        var rest = properties.Where(f => f.Key != "@type").ToList();
        object? content;
        if (IsWellKnown(packed) && rest.Count == 1 && rest[0].Key == "value")
        {
            content = builder.Unwrap(rest[0].Value);
        }
        else
        {
            // Keys that differ but read the same as text (1 and "1") would name the same field twice.
            var fields = new OrderedDictionary();
            foreach ((string key, object? fieldValue) in rest)
            {
                if (fields.Contains(key))
                {
                    throw RequestError.Create(RequestError.Child(path, key), "the field is given more than once (keys that read the same as text, such as 1 and '1', are one name)");
                }

                fields[key] = fieldValue;
            }

            content = fields;
        }
        string innerPath = RequestError.Child(path, "@type=" + packed.FullName);
        DynamicMessage inner = builder.BuildMessage(packed, content, innerPath, depth + 1);
        message[message.Descriptor.FindFieldByNumber(1)] = typeUrl.Contains('/') ? typeUrl : AnyTypeUrlPrefix + packed.FullName;
        try
        {
            message[message.Descriptor.FindFieldByNumber(2)] = DynamicCodec.Encode(inner);
        }
        catch (ProtobufCodecException e)
        {
            // The packed message is encoded now, so what the encoder refuses (a lone surrogate...) is found here.
            throw RequestError.Create(e.FieldPath.Length == 0 || e.FieldPath[0] == '[' ? innerPath + e.FieldPath : RequestError.Child(innerPath, e.FieldPath), e.Reason);
        }
    }

    private static OrderedDictionary StructToDictionary(DynamicMessage message)
    {
        var result = new OrderedDictionary();
        if (message[message.Descriptor.FindFieldByNumber(1)] is OrderedDictionary fields)
        {
            foreach (DictionaryEntry entry in fields)
            {
                result[entry.Key] = ValueToClr((DynamicMessage)entry.Value!);
            }
        }

        return result;
    }

    private static object? ValueToClr(DynamicMessage value)
    {
        foreach (KeyValuePair<FieldDescriptor, object> set in value.SetFields())
        {
            return set.Key.FieldNumber switch
            {
                1 => null,
                5 => StructToDictionary((DynamicMessage)set.Value),
                6 => ToClr((DynamicMessage)set.Value),
                _ => set.Value,
            };
        }

        return null;
    }

    /// <summary>An Any's type URL, and its content decoded when the type is known (null otherwise).</summary>
    public static (string TypeUrl, DynamicMessage? Content, byte[] Bytes) Unpack(DynamicMessage any, Func<string, MessageDescriptor?> resolve)
    {
        string typeUrl = (string?)any[any.Descriptor.FindFieldByNumber(1)] ?? string.Empty;
        byte[] bytes = (byte[]?)any[any.Descriptor.FindFieldByNumber(2)] ?? Array.Empty<byte>();
        return resolve(typeUrl) is { } type ? (typeUrl, DynamicCodec.Decode(type, bytes), bytes) : (typeUrl, null, bytes);
    }
}
