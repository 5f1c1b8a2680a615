using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Terraform;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>Helpers for the cty codec tests: hex, and a record type standing in for PSCustomObject.</summary>
internal static class CtyTestValues
{
    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static byte[] Encode(string type, object? value) => CtyCodec.Encode(CtyType.Parse(type), value, RecordAdapter.Instance);

    public static object? RoundTrip(string type, object? value) => CtyCodec.Decode(CtyType.Parse(type), Encode(type, value));

    public static OrderedDictionary Ordered(params (string Key, object? Value)[] entries)
    {
        var dictionary = new OrderedDictionary();
        foreach (var (key, value) in entries)
        {
            dictionary.Add(key, value);
        }

        return dictionary;
    }

    /// <summary>Deep equality of decoded values: arrays by element, dictionaries by key order and value.</summary>
    public static void AssertSame(object? expected, object? actual, string path = "$")
    {
        switch (expected)
        {
            case IDictionary e:
                var a = Assert.IsAssignableFrom<IDictionary>(actual);
                Assert.True(e.Keys.Cast<object>().SequenceEqual(a.Keys.Cast<object>()), $"{path}: keys {string.Join(",", e.Keys.Cast<object>())} vs {string.Join(",", a.Keys.Cast<object>())}");
                foreach (object key in e.Keys)
                {
                    AssertSame(e[key], a[key], $"{path}.{key}");
                }

                break;
            case Array e:
                var array = Assert.IsType<object?[]>(actual);
                Assert.True(e.Length == array.Length, $"{path}: {e.Length} vs {array.Length} elements");
                for (int i = 0; i < e.Length; i++)
                {
                    AssertSame(e.GetValue(i), array[i], $"{path}[{i}]");
                }

                break;
            default:
                Assert.True(Equals(expected, actual) && expected?.GetType() == actual?.GetType(), $"{path}: expected {expected} ({expected?.GetType().Name}), got {actual} ({actual?.GetType().Name})");
                break;
        }
    }
}

/// <summary>A record with named properties, like a PSCustomObject.</summary>
internal sealed class Record
{
    public Record(params (string Name, object? Value)[] properties)
    {
        Properties = properties;
    }

    public (string Name, object? Value)[] Properties { get; }
}

/// <summary>Sees <see cref="Record"/> as a record, as the cmdlets' adapter sees PSCustomObject.</summary>
internal sealed class RecordAdapter : IValueAdapter
{
    public static RecordAdapter Instance { get; } = new();

    public object? Unwrap(object? value) => value;

    public bool TryGetProperties(object value, out IEnumerable<KeyValuePair<string, object?>> properties)
    {
        properties = value is Record record ? record.Properties.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)) : Array.Empty<KeyValuePair<string, object?>>();
        return value is Record;
    }
}
