using System;
using System.Collections;
using System.Collections.Generic;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>
/// Structural equality of two dynamic messages as protobuf sees them: an unset field without presence equals its
/// zero, an absent list or map equals an empty one, floats compare bit for bit (NaN equals NaN, -0.0 is not 0.0),
/// maps compare entry order too, unknown fields compare byte for byte.
/// </summary>
internal static class DynamicComparer
{
    /// <summary>Null when equal, else the path and description of the first difference.</summary>
    public static string? Difference(DynamicMessage expected, DynamicMessage actual, string path = "")
    {
        if (expected.Descriptor.FullName != actual.Descriptor.FullName)
        {
            return $"{path}: type {expected.Descriptor.FullName} vs {actual.Descriptor.FullName}";
        }

        foreach (FieldDescriptor field in expected.Descriptor.Fields.InDeclarationOrder())
        {
            FieldDescriptor other = actual.Descriptor.FindFieldByNumber(field.FieldNumber);
            string fieldPath = path.Length == 0 ? field.Name : path + "." + field.Name;
            string? difference = FieldDifference(field, expected[field], actual[other], fieldPath);
            if (difference is not null)
            {
                return difference;
            }
        }

        byte[] expectedUnknown = expected.UnknownFields ?? Array.Empty<byte>();
        byte[] actualUnknown = actual.UnknownFields ?? Array.Empty<byte>();
        return expectedUnknown.AsSpan().SequenceEqual(actualUnknown)
            ? null
            : $"{path}: unknown fields {Convert.ToHexString(expectedUnknown)} vs {Convert.ToHexString(actualUnknown)}";
    }

    /// <summary>Asserts equality with a message that points at the first difference.</summary>
    public static void AssertEqual(DynamicMessage expected, DynamicMessage actual)
    {
        string? difference = Difference(expected, actual);
        Assert.True(difference is null, difference);
    }

    private static string? FieldDifference(FieldDescriptor field, object? expected, object? actual, string path)
    {
        if (field.IsMap)
        {
            return MapDifference(field, expected as IDictionary, actual as IDictionary, path);
        }

        if (field.IsRepeated)
        {
            IList left = expected as IList ?? Array.Empty<object>();
            IList right = actual as IList ?? Array.Empty<object>();
            if (left.Count != right.Count)
            {
                return $"{path}: {left.Count} elements vs {right.Count}";
            }

            for (int i = 0; i < left.Count; i++)
            {
                if (ValueDifference(left[i], right[i], $"{path}[{i}]") is { } difference)
                {
                    return difference;
                }
            }

            return null;
        }

        if (!field.HasPresence)
        {
            expected ??= FieldDefaults.For(field);
            actual ??= FieldDefaults.For(field);
        }

        return ValueDifference(expected, actual, path);
    }

    private static string? MapDifference(FieldDescriptor field, IDictionary? expected, IDictionary? actual, string path)
    {
        var left = new List<DictionaryEntry>();
        var right = new List<DictionaryEntry>();
        if (expected is not null)
        {
            foreach (DictionaryEntry entry in expected)
            {
                left.Add(entry);
            }
        }

        if (actual is not null)
        {
            foreach (DictionaryEntry entry in actual)
            {
                right.Add(entry);
            }
        }

        if (left.Count != right.Count)
        {
            return $"{path}: {left.Count} entries vs {right.Count}";
        }

        for (int i = 0; i < left.Count; i++)
        {
            string entryPath = $"{path}[{left[i].Key}]";
            if ((ValueDifference(left[i].Key, right[i].Key, entryPath + " key") ?? ValueDifference(left[i].Value, right[i].Value, entryPath)) is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    private static string? ValueDifference(object? expected, object? actual, string path) => (expected, actual) switch
    {
        (null, null) => null,
        (DynamicMessage left, DynamicMessage right) => Difference(left, right, path),
        (byte[] left, byte[] right) => left.AsSpan().SequenceEqual(right) ? null : $"{path}: bytes {Convert.ToHexString(left)} vs {Convert.ToHexString(right)}",
        (float left, float right) => BitConverter.SingleToInt32Bits(left) == BitConverter.SingleToInt32Bits(right) ? null : $"{path}: {left:R} vs {right:R}",
        (double left, double right) => BitConverter.DoubleToInt64Bits(left) == BitConverter.DoubleToInt64Bits(right) ? null : $"{path}: {left:R} vs {right:R}",
        _ when Equals(expected, actual) && expected!.GetType() == actual!.GetType() => null,
        _ => $"{path}: {Show(expected)} vs {Show(actual)}",
    };

    private static string Show(object? value) => value is null ? "null" : $"{value} ({value.GetType().Name})";
}
