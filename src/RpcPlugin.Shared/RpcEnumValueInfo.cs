namespace RpcPlugin;

/// <summary>One value of an enum type, as Get-RpcPluginMessageType describes it.</summary>
public sealed class RpcEnumValueInfo(string name, int number, string? description)
{
    /// <summary>The value's name (requests take it, case-insensitively, or the number).</summary>
    public string Name { get; } = name;

    /// <summary>The value's number on the wire.</summary>
    public int Number { get; } = number;

    /// <summary>The value's comment in its .proto file, when the descriptors carry it.</summary>
    public string? Description { get; } = description;

    /// <summary>The value's line in a .proto file: <c>RED = 1;</c>.</summary>
    public override string ToString() => $"{Name} = {Number};";
}
