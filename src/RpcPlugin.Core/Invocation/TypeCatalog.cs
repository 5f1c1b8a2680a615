using Google.Protobuf.Reflection;
using RpcPlugin.Core.Descriptors;

namespace RpcPlugin.Core.Invocation;

/// <summary>
/// Describes the message and enum types a session's descriptors define, as Get-RpcPluginMessageType shows them
/// (what grpcurl's <c>describe</c> prints): fields with numbers, types as a .proto file writes them, labels, oneofs
/// and comments.
/// </summary>
public static class TypeCatalog
{
    /// <summary>
    /// Every message and enum type of the pool, nested ones included, by file then full name; the synthetic entry types
    /// of map fields are left out. go-plugin's and gRPC's plumbing types and the well-known google.protobuf types
    /// only when <paramref name="includeInternal"/>.
    /// </summary>
    public static IEnumerable<IDescriptor> Types(DescriptorPool pool, bool includeInternal = false)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var seen = new SortedDictionary<string, IDescriptor>(StringComparer.Ordinal);
        // The well-known files are internal: built (a cost in a new process) only when internal types are wanted.
        foreach (FileDescriptor file in includeInternal ? pool.Files.Concat(WellKnownFiles.All) : pool.Files)
        {
            if (!includeInternal && IsInternal(file))
            {
                continue;
            }

            foreach (MessageDescriptor message in file.MessageTypes)
            {
                AddMessage(pool, message, seen);
            }

            foreach (EnumDescriptor @enum in file.EnumTypes)
            {
                Add(seen, @enum.FullName, pool.FindEnum(@enum.FullName));
            }
        }

        // Grouped by file, as the tables show them; by name within a file.
        return seen.Values.OrderBy(t => pool.GetOrigin(t).FileName, StringComparer.Ordinal).ThenBy(t => t.FullName, StringComparer.Ordinal).ToList();
    }

    /// <summary>Describes the types of <see cref="Types"/>.</summary>
    public static IReadOnlyList<RpcMessageTypeInfo> Describe(DescriptorPool pool, string sessionName, bool includeInternal = false, RpcPluginSession? session = null) =>
        Types(pool, includeInternal).Select(t => Describe(pool, t, sessionName, session)).ToList();

    /// <summary>Describes one message or enum type.</summary>
    public static RpcMessageTypeInfo Describe(DescriptorPool pool, IDescriptor type, string sessionName, RpcPluginSession? session = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        string file = pool.GetOrigin(type).FileName;
        return type switch
        {
            MessageDescriptor message => new RpcMessageTypeInfo(
                message.FullName,
                RpcMessageTypeKind.Message,
                message.Fields.InDeclarationOrder().Select(f => Describe(pool, f)).ToArray(),
                Array.Empty<RpcEnumValueInfo>(),
                pool.GetComments(message),
                file,
                sessionName,
                session),
            EnumDescriptor @enum => new RpcMessageTypeInfo(
                @enum.FullName,
                RpcMessageTypeKind.Enum,
                Array.Empty<RpcFieldInfo>(),
                @enum.Values.Select(v => new RpcEnumValueInfo(v.Name, v.Number, pool.GetComments(v))).ToArray(),
                pool.GetComments(@enum),
                file,
                sessionName,
                session),
            _ => throw new ArgumentException($"{type.FullName} is neither a message nor an enum.", nameof(type)),
        };
    }

    /// <summary>
    /// The message or enum a user means by <paramref name="name"/>: its full name (a leading dot allowed), else the
    /// only type whose name ends with it after a dot (<c>EchoRequest</c>, <c>Outer.Inner</c>). Null when none or
    /// several match.
    /// </summary>
    public static IDescriptor? Find(DescriptorPool pool, string name, bool messagesOnly = false)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(name);
        string trimmed = name.TrimStart('.');
        IDescriptor? exact = pool.FindMessage(trimmed);
        if (exact is null && !messagesOnly)
        {
            exact = pool.FindEnum(trimmed);
        }

        if (exact is not null)
        {
            return exact;
        }

        // The plugin's own types first: 'Kind' means the plugin's Kind, not google.protobuf.Field.Kind.
        return Unique(Types(pool), trimmed, messagesOnly) ?? Unique(Types(pool, includeInternal: true), trimmed, messagesOnly);
    }

    /// <summary>The names a user may type for a type: its full name and every dotted tail of it (<c>Outer.Inner</c>, <c>Inner</c>).</summary>
    public static IEnumerable<string> NamesOf(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        yield return fullName;
        for (int dot = fullName.IndexOf('.'); dot >= 0; dot = fullName.IndexOf('.', dot + 1))
        {
            yield return fullName[(dot + 1)..];
        }
    }

    /// <summary>A field's type as a .proto file writes it: <c>int32</c>, <c>pkg.Nested</c>, <c>map&lt;string, int64&gt;</c>.</summary>
    public static string TypeName(FieldDescriptor field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.IsMap)
        {
            return $"map<{TypeName(field.MessageType.FindFieldByNumber(1))}, {TypeName(field.MessageType.FindFieldByNumber(2))}>";
        }

        return field.FieldType switch
        {
            FieldType.Message or FieldType.Group => field.MessageType.FullName,
            FieldType.Enum => field.EnumType.FullName,
            _ => field.FieldType.ToString().ToLowerInvariant(), // Int32 → int32, SFixed64 → sfixed64: protobuf's own spelling
        };
    }

    private static IDescriptor? Unique(IEnumerable<IDescriptor> types, string tail, bool messagesOnly)
    {
        var matches = types
            .Where(t => !messagesOnly || t is MessageDescriptor)
            .Where(t => t.FullName.EndsWith("." + tail, StringComparison.Ordinal))
            .Take(2)
            .ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>Whether a file is plumbing rather than the plugin's own: the well-known types, go-plugin's and gRPC's services.</summary>
    private static bool IsInternal(FileDescriptor file) =>
        file.Name.StartsWith("google/protobuf/", StringComparison.Ordinal)
        || (file.Services.Count > 0 && file.Services.All(s => InternalServices.IsInternal(s.FullName)));

    private static RpcFieldInfo Describe(DescriptorPool pool, FieldDescriptor field)
    {
        bool repeated = field.IsRepeated && !field.IsMap;
        bool required = field.IsRequired;
        bool optional = !field.IsRepeated && !required && field.RealContainingOneof is null
            && (field.ContainingOneof is { IsSynthetic: true } || IsProto2(field.File));
        return new RpcFieldInfo(field.Name, field.JsonName, field.FieldNumber, TypeName(field), repeated, field.RealContainingOneof?.Name, optional, required, pool.GetComments(field));
    }

    /// <summary>Whether a file is proto2, where every singular field is written with a label.</summary>
    private static bool IsProto2(FileDescriptor file)
    {
#pragma warning disable CS0618 // Syntax is obsolete in favour of editions features, but it is what says how proto2 text reads
        return file.Syntax == Syntax.Proto2;
#pragma warning restore CS0618
    }

    private static void AddMessage(DescriptorPool pool, MessageDescriptor message, SortedDictionary<string, IDescriptor> seen)
    {
        if (message.GetOptions()?.MapEntry == true)
        {
            return;
        }

        // The pool's own descriptor: a second file of the same name may have been renamed, but names are unique.
        Add(seen, message.FullName, pool.FindMessage(message.FullName) ?? message);
        foreach (MessageDescriptor nested in message.NestedTypes)
        {
            AddMessage(pool, nested, seen);
        }

        foreach (EnumDescriptor @enum in message.EnumTypes)
        {
            Add(seen, @enum.FullName, pool.FindEnum(@enum.FullName) ?? @enum);
        }
    }

    private static void Add(SortedDictionary<string, IDescriptor> seen, string name, IDescriptor? descriptor)
    {
        if (descriptor is not null)
        {
            seen.TryAdd(name, descriptor);
        }
    }
}
