using System.Management.Automation;
using RpcPlugin.Core.Conversion;

namespace RpcPlugin.Calls;

/// <summary>Lets the core converter read PowerShell values: PSObject wrappers unwrapped, PSCustomObjects read as records.</summary>
internal sealed class PowerShellValueAdapter : IValueAdapter
{
    public static PowerShellValueAdapter Instance { get; } = new();

    public object? Unwrap(object? value)
    {
        object? inner = value is PSObject wrapper && wrapper.BaseObject is not PSCustomObject ? wrapper.BaseObject : value;
        return inner is SwitchParameter flag ? flag.IsPresent : inner;
    }

    public bool TryGetProperties(object value, out IEnumerable<KeyValuePair<string, object?>> properties)
    {
        if (value is PSObject { BaseObject: PSCustomObject } record)
        {
            properties = Read(record);
            return true;
        }

        if ((value is PSObject wrapper ? wrapper.BaseObject : value) is Message response)
        {
            // A previous response: its fields, plus whatever a script added to it with Add-Member. PowerShell keeps
            // such notes with the object itself, so a fresh wrapper still shows them after the value was unwrapped.
            properties = Read(value as PSObject ?? PSObject.AsPSObject(response));
            return true;
        }

        properties = System.Array.Empty<KeyValuePair<string, object?>>();
        return false;
    }

    private static IEnumerable<KeyValuePair<string, object?>> Read(PSObject record)
    {
        foreach (PSPropertyInfo property in record.Properties)
        {
            yield return new(property.Name, property.Value);
        }
    }
}
