using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>Compares two JSON texts as values: property order and number spelling do not matter.</summary>
internal static class JsonSemantics
{
    public static void AssertEquivalent(string expected, string actual)
    {
        using JsonDocument left = JsonDocument.Parse(expected);
        using JsonDocument right = JsonDocument.Parse(actual);
        string? difference = Difference(left.RootElement, right.RootElement, "$");
        Assert.True(difference is null, $"{difference}\nexpected: {expected}\nactual:   {actual}");
    }

    private static string? Difference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: {expected.ValueKind} vs {actual.ValueKind}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>();
                foreach (JsonProperty property in expected.EnumerateObject())
                {
                    names.Add(property.Name);
                    if (!actual.TryGetProperty(property.Name, out JsonElement other))
                    {
                        return $"{path}.{property.Name}: missing";
                    }

                    if (Difference(property.Value, other, $"{path}.{property.Name}") is { } difference)
                    {
                        return difference;
                    }
                }

                foreach (JsonProperty property in actual.EnumerateObject())
                {
                    if (!names.Contains(property.Name))
                    {
                        return $"{path}.{property.Name}: unexpected";
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    return $"{path}: {expected.GetArrayLength()} elements vs {actual.GetArrayLength()}";
                }

                for (int i = 0; i < expected.GetArrayLength(); i++)
                {
                    if (Difference(expected[i], actual[i], $"{path}[{i}]") is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            case JsonValueKind.Number:
                double left = double.Parse(expected.GetRawText(), CultureInfo.InvariantCulture);
                double right = double.Parse(actual.GetRawText(), CultureInfo.InvariantCulture);
                return BitConverter.DoubleToInt64Bits(left) == BitConverter.DoubleToInt64Bits(right)
                    ? null : $"{path}: {expected.GetRawText()} vs {actual.GetRawText()}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: \"{expected.GetString()}\" vs \"{actual.GetString()}\"";
            default:
                return null;
        }
    }
}
