using System.Collections.Generic;

namespace RpcPlugin.TerraformProvider.Provider;

/// <summary>Reading and copying the provider's decoded object values.</summary>
internal static class ValueHelpers
{
    public static object? Get(object? value, string name) =>
        value is SortedDictionary<string, object?> map && map.TryGetValue(name, out object? item) ? item : null;

    public static SortedDictionary<string, object?> Copy(object? value) =>
        value is SortedDictionary<string, object?> map ? new SortedDictionary<string, object?>(map, System.StringComparer.Ordinal) : new SortedDictionary<string, object?>(System.StringComparer.Ordinal);

    public static double? Number(object? value) => value switch
    {
        long l => l,
        double d => d,
        _ => null,
    };
}
