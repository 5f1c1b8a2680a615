namespace RpcPlugin.Core.Conversion;

/// <summary>
/// Lets the converter see through a host's wrapper objects without knowing the host: PowerShell wraps values in
/// PSObject, and scripts write records as PSCustomObject; the cmdlets supply an adapter for those.
/// </summary>
public interface IValueAdapter
{
    /// <summary>The value inside a wrapper (e.g. PSObject.BaseObject), or the value itself.</summary>
    object? Unwrap(object? value);

    /// <summary>If the value is a record with named properties (but not a dictionary), returns its properties.</summary>
    bool TryGetProperties(object value, out IEnumerable<KeyValuePair<string, object?>> properties);
}

/// <summary>The adapter for plain .NET values: nothing to unwrap, no records beyond dictionaries.</summary>
public sealed class PlainValueAdapter : IValueAdapter
{
    /// <summary>The one instance.</summary>
    public static PlainValueAdapter Instance { get; } = new();

    /// <inheritdoc />
    public object? Unwrap(object? value) => value;

    /// <inheritdoc />
    public bool TryGetProperties(object value, out IEnumerable<KeyValuePair<string, object?>> properties)
    {
        properties = System.Array.Empty<KeyValuePair<string, object?>>();
        return false;
    }
}
