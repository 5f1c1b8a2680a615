namespace RpcPlugin;

/// <summary>A message or enum type a plugin's descriptors define, as Get-RpcPluginMessageType describes it.</summary>
/// <param name="name">The full name, e.g. <c>testplugin.EchoRequest</c>.</param>
/// <param name="kind">Message or Enum.</param>
/// <param name="fields">A message's fields in declaration order (empty for an enum).</param>
/// <param name="values">An enum's values in declaration order (empty for a message).</param>
/// <param name="description">The type's comment in its .proto file, when the descriptors carry it.</param>
/// <param name="file">The .proto file that defines the type.</param>
/// <param name="sessionName">The session the type was read from.</param>
/// <param name="session">That session, when known.</param>
public sealed class RpcMessageTypeInfo(
    string name,
    RpcMessageTypeKind kind,
    RpcFieldInfo[] fields,
    RpcEnumValueInfo[] values,
    string? description,
    string file,
    string sessionName,
    RpcPluginSession? session = null)
{
    private string? definition;

    /// <summary>The full name, e.g. <c>testplugin.EchoRequest</c> (nested types: <c>pkg.Outer.Inner</c>).</summary>
    public string Name { get; } = name;

    /// <summary>Message or Enum.</summary>
    public RpcMessageTypeKind Kind { get; } = kind;

    /// <summary>A message's fields in declaration order; empty for an enum.</summary>
    public RpcFieldInfo[] Fields { get; } = fields;

    /// <summary>An enum's values in declaration order; empty for a message.</summary>
    public RpcEnumValueInfo[] Values { get; } = values;

    /// <summary>The type's comment in its .proto file, when the descriptors carry it.</summary>
    public string? Description { get; } = description;

    /// <summary>The .proto file that defines the type.</summary>
    public string File { get; } = file;

    /// <summary>The session the type was read from.</summary>
    public string SessionName { get; } = sessionName;

    /// <summary>That session, when known.</summary>
    public RpcPluginSession? Session { get; } = session;

    /// <summary>The type written as a .proto file would declare it, comments included (nested types are listed on their own).</summary>
    public string Definition => definition ??= ProtoDefinition.Write(this);

    /// <inheritdoc />
    public override string ToString() => Name;
}
