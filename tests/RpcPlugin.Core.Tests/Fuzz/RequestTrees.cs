using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// The requests <see cref="MessageBuilderFuzzTests"/> builds: random .NET object trees shaped like requests for a
/// type, with more wrong values as sloppiness grows; natural forms of the well-known types; nesting up to 200 levels;
/// and any value a host might pass (<see cref="HostValues"/>).
/// </summary>
internal static class RequestTrees
{
    /// <summary>One request for <paramref name="type"/>, or something that is not one.</summary>
    public static object? Next(Random random, MessageDescriptor type) => random.Next(20) switch
    {
        0 => HostValues.Anything(random, 3),
        1 => DeepRequest(random),
        _ => Request(random, type, random.Next(5), sloppiness: random.Next(4)),
    };

    /// <summary>A request for <paramref name="type"/>: mostly its fields with plausible values, more wrong ones as sloppiness grows.</summary>
    private static object? Request(Random random, MessageDescriptor type, int depth, int sloppiness)
    {
        if (random.Next(30) == 0)
        {
            return random.Next(3) switch
            {
                0 => null,
                1 => "{\"fInt32\": 1, \"fString\": \"x\"}",
                _ => Mutate.TextEdits(random, "{\"fInt32\": 1, \"wValue\": [1, null, {\"a\": \"b\"}], \"mString\": {\"k\": \"v\"}}", 3, JsonFuzz.Tokens),
            };
        }

        IDictionary bag = HostValues.NewBag(random);
        IList<FieldDescriptor> fields = type.Fields.InDeclarationOrder();
        for (int i = random.Next(fields.Count == 0 ? 1 : Math.Min(fields.Count, 8) + 1); i > 0; i--)
        {
            if (random.Next(12) < sloppiness)
            {
                HostValues.Put(bag, HostValues.RandomKey(random), HostValues.Anything(random, depth));
                continue;
            }

            FieldDescriptor field = fields[random.Next(fields.Count)];
            string name = random.Next(4) switch
            {
                0 => field.JsonName,
                1 => random.Next(2) == 0 ? field.Name.ToUpperInvariant() : field.JsonName.ToLowerInvariant(),
                _ => field.Name,
            };
            HostValues.Put(bag, name, random.Next(12) < sloppiness ? HostValues.Anything(random, depth) : FieldValue(random, field, depth, sloppiness));
        }

        return bag;
    }

    private static object? FieldValue(Random random, FieldDescriptor field, int depth, int sloppiness)
    {
        if (field.IsMap)
        {
            IDictionary map = HostValues.NewBag(random);
            FieldDescriptor keyField = field.MessageType.FindFieldByNumber(1);
            FieldDescriptor valueField = field.MessageType.FindFieldByNumber(2);
            for (int i = random.Next(4); i > 0; i--)
            {
                object key = random.Next(6) == 0 ? HostValues.Anything(random, 0) ?? "null" : Element(random, keyField, depth, sloppiness) ?? "k";
                HostValues.Put(map, key, random.Next(15) == 0 ? null : Element(random, valueField, depth - 1, sloppiness));
            }

            return map;
        }

        if (field.IsRepeated && random.Next(6) != 0)
        {
            int count = random.Next(5);
            var items = new object?[count];
            for (int i = 0; i < count; i++)
            {
                items[i] = random.Next(20) == 0 ? null : Element(random, field, depth - 1, sloppiness);
            }

            return random.Next(3) switch
            {
                0 => items.ToList(),
                1 when field.FieldType is FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => items.Select(i => i is int n ? n : 0).ToArray(),
                _ => items,
            };
        }

        return Element(random, field, depth, sloppiness);
    }

    /// <summary>One value of a field's element type, usually the right kind of .NET value, sometimes a neighbour.</summary>
    private static object? Element(Random random, FieldDescriptor field, int depth, int sloppiness)
    {
        switch (field.FieldType)
        {
            case FieldType.Message or FieldType.Group:
                return field.MessageType.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal)
                    ? WellKnownValue(random, field.MessageType, depth)
                    : depth > 0 ? Request(random, field.MessageType, depth - 1, sloppiness) : null;
            case FieldType.Enum:
                return random.Next(5) switch
                {
                    0 => field.EnumType.Values[random.Next(field.EnumType.Values.Count)].Name,
                    1 => field.EnumType.Values[random.Next(field.EnumType.Values.Count)].Name.ToLowerInvariant(),
                    2 => random.Next(-5, 100),
                    3 => DayOfWeek.Friday,
                    _ => HostValues.Number(random),
                };
            case FieldType.Bool:
                return random.Next(6) == 0 ? HostValues.Anything(random, 0) : random.Next(2) == 0;
            case FieldType.String:
                return random.Next(4) == 0 ? HostValues.Anything(random, 0) : Mutate.Text(random, 30);
            case FieldType.Bytes:
                return random.Next(6) switch
                {
                    0 => Mutate.RandomBytes(random, random.Next(20)),
                    1 => Convert.ToBase64String(Mutate.RandomBytes(random, random.Next(20))),
                    2 => Mutate.Base64ish(random, random.Next(30)),
                    3 => new object[] { 1, 255, (byte)7, 256, -1, "12", 1.5, null! }.Take(random.Next(9)).ToArray(),
                    4 => new[] { 0, 1, 2 },
                    _ => HostValues.Anything(random, 0),
                };
            default:
                return random.Next(5) == 0 ? HostValues.Anything(random, 0) : HostValues.Number(random);
        }
    }

    /// <summary>Natural forms of the well-known types, their field bags, and things that are neither.</summary>
    private static object? WellKnownValue(Random random, MessageDescriptor type, int depth)
    {
        if (random.Next(6) == 0)
        {
            return HostValues.Anything(random, Math.Max(depth, 0));
        }

        switch (type.FullName)
        {
            case "google.protobuf.Timestamp":
                return random.Next(8) switch
                {
                    0 => DateTime.MinValue,
                    1 => DateTime.MaxValue,
                    2 => new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), (DateTimeKind)random.Next(3)),
                    3 => DateTimeOffset.MaxValue,
                    4 => new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.FromHours(random.Next(-14, 15))),
                    5 => new[] { "2024-01-02T03:04:05Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999+00:00", "yesterday", "2024-02-30", "1970-01-01T00:00:00-14:00" }[random.Next(6)],
                    6 => new Hashtable { ["seconds"] = HostValues.Number(random), ["nanos"] = HostValues.Number(random) },
                    _ => HostValues.Number(random),
                };
            case "google.protobuf.Duration":
                return random.Next(7) switch
                {
                    0 => TimeSpan.MaxValue,
                    1 => TimeSpan.MinValue,
                    2 => TimeSpan.FromTicks(random.NextInt64()),
                    3 => new[] { "1.5s", "-0.000000001s", "1e20s", "79228162514264337593543950335s", "NaNs", "00:00:01", "10675199.02:48:05.4775807", "s", "-s" }[random.Next(9)],
                    4 => new Hashtable { ["seconds"] = HostValues.Number(random), ["nanos"] = HostValues.Number(random) },
                    _ => HostValues.Number(random),
                };
            case "google.protobuf.Struct":
                return HostValues.JsonLike(random, depth, forceObject: true);
            case "google.protobuf.Value":
                return HostValues.JsonLike(random, depth, forceObject: false);
            case "google.protobuf.ListValue":
                return random.Next(4) == 0 ? HostValues.Anything(random, depth) : Enumerable.Range(0, random.Next(4)).Select(_ => HostValues.JsonLike(random, depth - 1, false)).ToArray();
            case "google.protobuf.Any":
                IDictionary any = HostValues.NewBag(random);
                HostValues.Put(any, "@type", random.Next(6) switch
                {
                    0 => "type.googleapis.com/testplugin.Nested",
                    1 => "testplugin.AllTypes",
                    2 => "type.googleapis.com/google.protobuf.Duration",
                    3 => "type.googleapis.com/google.protobuf.Struct",
                    4 => Mutate.Text(random, 20),
                    _ => HostValues.Anything(random, 0),
                });
                for (int i = random.Next(3); i > 0; i--)
                {
                    HostValues.Put(any, random.Next(2) == 0 ? "value" : HostValues.RandomKey(random), random.Next(2) == 0 ? HostValues.JsonLike(random, depth - 1, false) : HostValues.Anything(random, depth - 1));
                }

                if (random.Next(20) == 0)
                {
                    // Keys that differ as objects but read the same as text.
                    HostValues.Put(any, 7, 1);
                    HostValues.Put(any, "7", 2);
                }

                return any;
            case "google.protobuf.Empty":
                return random.Next(3) switch
                {
                    0 => null,
                    1 => new Hashtable(),
                    _ => new Hashtable { ["x"] = 1 },
                };
            case "google.protobuf.FieldMask":
                return random.Next(3) switch
                {
                    0 => "a.b,c",
                    1 => new object?[] { "a", 1, null },
                    _ => Mutate.Text(random, 20),
                };
            default:
                // Wrappers: the bare value.
                return random.Next(2) == 0 ? HostValues.Number(random) : HostValues.Anything(random, 0);
        }
    }

    /// <summary>Nesting as deep as 200 levels: a Nested chain, or Value/Struct content made of arrays and dictionaries.</summary>
    private static object? DeepRequest(Random random)
    {
        int depth = random.Next(3) == 0 ? random.Next(95, 201) : random.Next(1, 201);
        object? inner = random.Next(2) == 0 ? "leaf" : null;
        switch (random.Next(4))
        {
            case 0:
                for (int i = 0; i < depth; i++)
                {
                    inner = new Hashtable { ["name"] = "n" + i, ["child"] = inner };
                }

                return new Hashtable { ["fNested"] = inner };
            case 1:
                for (int i = 0; i < depth; i++)
                {
                    inner = random.Next(2) == 0 ? new object?[] { inner } : new Hashtable { ["k"] = inner };
                }

                return new Hashtable { [random.Next(3) switch { 0 => "wValue", 1 => "wListValue", _ => "wStruct" }] = inner };
            case 2:
                for (int i = 0; i < depth; i++)
                {
                    inner = new Hashtable { ["@type"] = "type.googleapis.com/testplugin.AllTypes", ["wAny"] = inner };
                }

                return new Hashtable { ["wAny"] = inner };
            default:
                for (int i = 0; i < depth; i++)
                {
                    inner = new object?[] { inner, i };
                }

                return new Hashtable { ["rNested"] = inner };
        }
    }
}
