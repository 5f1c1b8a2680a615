namespace RpcPlugin;

/// <summary>One field of a message type, as Get-RpcPluginMessageType describes it.</summary>
/// <param name="name">The field's name in the .proto file.</param>
/// <param name="jsonName">The field's proto3 JSON name (lowerCamelCase).</param>
/// <param name="number">The field number.</param>
/// <param name="type">The type as a .proto file writes it: <c>int32</c>, <c>pkg.Nested</c>, <c>map&lt;string, int64&gt;</c>.</param>
/// <param name="repeated">Whether the field is <c>repeated</c> (maps are not: their type says <c>map</c>).</param>
/// <param name="oneof">The oneof the field belongs to, or null (proto3 <c>optional</c> is not a oneof here).</param>
/// <param name="optional">Whether the field is declared <c>optional</c> (explicit presence).</param>
/// <param name="required">Whether the field is a proto2 <c>required</c> field.</param>
/// <param name="description">The field's comment in its .proto file, when the descriptors carry it.</param>
public sealed class RpcFieldInfo(
    string name,
    string jsonName,
    int number,
    string type,
    bool repeated,
    string? oneof,
    bool optional,
    bool required,
    string? description)
{
    /// <summary>The field's name in the .proto file (<c>delay_ms</c>); requests take this or <see cref="JsonName"/>.</summary>
    public string Name { get; } = name;

    /// <summary>The field's proto3 JSON name (<c>delayMs</c>).</summary>
    public string JsonName { get; } = jsonName;

    /// <summary>The field number.</summary>
    public int Number { get; } = number;

    /// <summary>The type as a .proto file writes it: <c>int32</c>, <c>pkg.Nested</c>, <c>map&lt;string, int64&gt;</c>.</summary>
    public string Type { get; } = type;

    /// <summary>Whether the field is <c>repeated</c> (an array in PowerShell).</summary>
    public bool Repeated { get; } = repeated;

    /// <summary>The oneof the field belongs to (at most one member of a oneof is set), or null.</summary>
    public string? Oneof { get; } = oneof;

    /// <summary>Whether the field is declared <c>optional</c>: it can be told apart from its default when unset.</summary>
    public bool Optional { get; } = optional;

    /// <summary>Whether the field is a proto2 <c>required</c> field.</summary>
    public bool Required { get; } = required;

    /// <summary>The field's comment in its .proto file, when the descriptors carry it.</summary>
    public string? Description { get; } = description;

    /// <summary>The field's line in a .proto file: <c>repeated int32 values = 3;</c>.</summary>
    public override string ToString()
    {
        string label = Repeated ? "repeated " : Required ? "required " : Optional ? "optional " : string.Empty;
        return $"{label}{Type} {Name} = {Number};";
    }
}
