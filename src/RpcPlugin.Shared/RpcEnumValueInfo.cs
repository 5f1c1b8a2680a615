namespace RpcPlugin;

/// <summary>One value of an enum type, as Get-RpcPluginMessageType describes it.</summary>
public sealed class RpcEnumValueInfo
{
    /// <summary>Creates a description.</summary>
    public RpcEnumValueInfo(string name, int number, string? description)
    {
        Name = name;
        Number = number;
        Description = description;
    }

    /// <summary>The value's name (requests take it, case-insensitively, or the number).</summary>
    public string Name { get; }

    /// <summary>The value's number on the wire.</summary>
    public int Number { get; }

    /// <summary>The value's comment in its .proto file, when the descriptors carry it.</summary>
    public string? Description { get; }

    /// <summary>The value's line in a .proto file: <c>RED = 1;</c>.</summary>
    public override string ToString() => $"{Name} = {Number};";
}
