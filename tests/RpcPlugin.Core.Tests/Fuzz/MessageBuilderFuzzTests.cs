using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Numerics;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Tests.Codec;
using RpcPlugin.TestPlugin.Protos;
using Xunit.Abstractions;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// <see cref="MessageBuilder.Build"/> against random .NET object trees shaped like requests for AllTypes
/// (issue 7, Security): dictionaries of every kind, arrays and lists, strings, numbers of every .NET type
/// (BigInteger, decimal, NaN...), bools, null, DateTime, TimeSpan, byte arrays, nesting up to 200 levels. Build
/// either returns a message or throws <see cref="PluginException"/> with InvalidRequest; what it returns encodes.
/// </summary>
[Collection(FuzzRunner.Collection)]
public class MessageBuilderFuzzTests
{
    private const int Seed = 7_004;
    private const int Cases = 20_000;

    private static readonly MessageDescriptor[] WellKnown =
    {
        Timestamp.Descriptor, Duration.Descriptor, Struct.Descriptor, Value.Descriptor, ListValue.Descriptor, Any.Descriptor,
        Empty.Descriptor, FieldMask.Descriptor, Int32Value.Descriptor, Int64Value.Descriptor, UInt32Value.Descriptor,
        UInt64Value.Descriptor, FloatValue.Descriptor, DoubleValue.Descriptor, BoolValue.Descriptor, StringValue.Descriptor,
        BytesValue.Descriptor,
    };

    private static readonly MessageBuilder Builder = new(PlainValueAdapter.Instance, Resolve);

    private readonly ITestOutputHelper output;

    public MessageBuilderFuzzTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    private enum Huge : ulong
    {
        Small = 1,
        Big = ulong.MaxValue,
    }

    [Fact]
    public void Build_fails_only_with_invalid_request_and_what_it_builds_encodes()
    {
        FuzzSummary summary = FuzzRunner.Run(nameof(MessageBuilderFuzzTests), Seed, Cases, Check, output);

        if (summary.Partial)
        {
            return;
        }

        Assert.Equal(Cases, summary.Cases);
        Assert.True(summary.Count("ok") > Cases / 10, summary.ToString());
        Assert.True(summary.Count("rejected") > Cases / 10, summary.ToString());
    }

    private static void Check(FuzzCase fuzzCase)
    {
        Random random = fuzzCase.Random;
        MessageDescriptor type = random.Next(10) switch
        {
            0 => RandomRoundTripTests.Types[random.Next(RandomRoundTripTests.Types.Length)],
            _ => AllTypes.Descriptor,
        };
        object? request = random.Next(20) switch
        {
            0 => Anything(random, 3),
            1 => DeepRequest(random),
            _ => Request(random, type, random.Next(5), sloppiness: random.Next(4)),
        };
        fuzzCase.Input(() => $"request for {type.FullName}: {Describe(request, 0)}");

        DynamicMessage built;
        try
        {
            built = Builder.Build(type, request);
        }
        catch (PluginException e) when (e.Code == PluginErrorCode.InvalidRequest)
        {
            fuzzCase.Outcome("rejected");
            return;
        }
        catch (PluginException e)
        {
            throw FuzzCase.Fail($"PluginException with code {e.Code}, not InvalidRequest: {e.Message}");
        }

        try
        {
            DynamicCodec.Encode(built);
        }
        catch (ProtobufCodecException e)
        {
            throw FuzzCase.Fail($"Build accepted the request, but the message does not encode: {e.Message}");
        }

        fuzzCase.Outcome("ok");
    }

    /// <summary>Resolves Any types by full name or type URL: the test types and the well-known types.</summary>
    private static MessageDescriptor? Resolve(string nameOrUrl)
    {
        string name = nameOrUrl[(nameOrUrl.LastIndexOf('/') + 1)..];
        return OracleMessages.Resolve(name) ?? WellKnown.FirstOrDefault(d => d.FullName == name);
    }

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

        IDictionary bag = NewBag(random);
        IList<FieldDescriptor> fields = type.Fields.InDeclarationOrder();
        for (int i = random.Next(fields.Count == 0 ? 1 : Math.Min(fields.Count, 8) + 1); i > 0; i--)
        {
            if (random.Next(12) < sloppiness)
            {
                Put(bag, RandomKey(random), Anything(random, depth));
                continue;
            }

            FieldDescriptor field = fields[random.Next(fields.Count)];
            string name = random.Next(4) switch
            {
                0 => field.JsonName,
                1 => random.Next(2) == 0 ? field.Name.ToUpperInvariant() : field.JsonName.ToLowerInvariant(),
                _ => field.Name,
            };
            Put(bag, name, random.Next(12) < sloppiness ? Anything(random, depth) : FieldValue(random, field, depth, sloppiness));
        }

        return bag;
    }

    private static object? FieldValue(Random random, FieldDescriptor field, int depth, int sloppiness)
    {
        if (field.IsMap)
        {
            IDictionary map = NewBag(random);
            FieldDescriptor keyField = field.MessageType.FindFieldByNumber(1);
            FieldDescriptor valueField = field.MessageType.FindFieldByNumber(2);
            for (int i = random.Next(4); i > 0; i--)
            {
                object key = random.Next(6) == 0 ? Anything(random, 0) ?? "null" : Element(random, keyField, depth, sloppiness) ?? "k";
                Put(map, key, random.Next(15) == 0 ? null : Element(random, valueField, depth - 1, sloppiness));
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
                    _ => Number(random),
                };
            case FieldType.Bool:
                return random.Next(6) == 0 ? Anything(random, 0) : random.Next(2) == 0;
            case FieldType.String:
                return random.Next(4) == 0 ? Anything(random, 0) : Mutate.Text(random, 30);
            case FieldType.Bytes:
                return random.Next(6) switch
                {
                    0 => Mutate.RandomBytes(random, random.Next(20)),
                    1 => Convert.ToBase64String(Mutate.RandomBytes(random, random.Next(20))),
                    2 => Mutate.Base64ish(random, random.Next(30)),
                    3 => new object[] { 1, 255, (byte)7, 256, -1, "12", 1.5, null! }.Take(random.Next(9)).ToArray(),
                    4 => new[] { 0, 1, 2 },
                    _ => Anything(random, 0),
                };
            default:
                return random.Next(5) == 0 ? Anything(random, 0) : Number(random);
        }
    }

    /// <summary>Natural forms of the well-known types, their field bags, and things that are neither.</summary>
    private static object? WellKnownValue(Random random, MessageDescriptor type, int depth)
    {
        if (random.Next(6) == 0)
        {
            return Anything(random, Math.Max(depth, 0));
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
                    6 => new Hashtable { ["seconds"] = Number(random), ["nanos"] = Number(random) },
                    _ => Number(random),
                };
            case "google.protobuf.Duration":
                return random.Next(7) switch
                {
                    0 => TimeSpan.MaxValue,
                    1 => TimeSpan.MinValue,
                    2 => TimeSpan.FromTicks(random.NextInt64()),
                    3 => new[] { "1.5s", "-0.000000001s", "1e20s", "79228162514264337593543950335s", "NaNs", "00:00:01", "10675199.02:48:05.4775807", "s", "-s" }[random.Next(9)],
                    4 => new Hashtable { ["seconds"] = Number(random), ["nanos"] = Number(random) },
                    _ => Number(random),
                };
            case "google.protobuf.Struct":
                return JsonLike(random, depth, forceObject: true);
            case "google.protobuf.Value":
                return JsonLike(random, depth, forceObject: false);
            case "google.protobuf.ListValue":
                return random.Next(4) == 0 ? Anything(random, depth) : Enumerable.Range(0, random.Next(4)).Select(_ => JsonLike(random, depth - 1, false)).ToArray();
            case "google.protobuf.Any":
                IDictionary any = NewBag(random);
                Put(any, "@type", random.Next(6) switch
                {
                    0 => "type.googleapis.com/testplugin.Nested",
                    1 => "testplugin.AllTypes",
                    2 => "type.googleapis.com/google.protobuf.Duration",
                    3 => "type.googleapis.com/google.protobuf.Struct",
                    4 => Mutate.Text(random, 20),
                    _ => Anything(random, 0),
                });
                for (int i = random.Next(3); i > 0; i--)
                {
                    Put(any, random.Next(2) == 0 ? "value" : RandomKey(random), random.Next(2) == 0 ? JsonLike(random, depth - 1, false) : Anything(random, depth - 1));
                }

                if (random.Next(20) == 0)
                {
                    // Keys that differ as objects but read the same as text.
                    Put(any, 7, 1);
                    Put(any, "7", 2);
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
                return random.Next(2) == 0 ? Number(random) : Anything(random, 0);
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

    /// <summary>JSON-like .NET values (what a Struct or Value takes), occasionally with non-JSON leaves.</summary>
    private static object? JsonLike(Random random, int depth, bool forceObject)
    {
        if (forceObject || (depth > 0 && random.Next(4) == 0))
        {
            IDictionary bag = NewBag(random);
            for (int i = random.Next(4); i > 0 && depth > 0; i--)
            {
                Put(bag, RandomKey(random), JsonLike(random, depth - 1, false));
            }

            return bag;
        }

        if (depth > 0 && random.Next(4) == 0)
        {
            return Enumerable.Range(0, random.Next(4)).Select(_ => JsonLike(random, depth - 1, false)).ToList();
        }

        return Anything(random, 0);
    }

    /// <summary>Any .NET value a host might pass, of every kind the converter has a case for and some it has not.</summary>
    private static object? Anything(Random random, int depth)
    {
        switch (random.Next(depth > 0 ? 16 : 13))
        {
            case 0:
                return null;
            case 1:
                return random.Next(2) == 0;
            case 2:
            case 3:
                return Number(random);
            case 4:
                return Mutate.Text(random, 40);
            case 5:
                return new[] { "NaN", "Infinity", "-Infinity", "1e400", "12", " 12 ", "-0", "0x10", "1.5", "RED", "true", "{}", "[1]", "{\"fInt32\":", "AAEC", "2024-01-02T03:04:05Z", "1.5s", "" }[random.Next(18)];
            case 6:
                return random.Next(6) switch
                {
                    0 => DateTime.MinValue,
                    1 => DateTime.MaxValue,
                    2 => DateTime.UnixEpoch,
                    3 => DateTimeOffset.MinValue,
                    4 => new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Local),
                    _ => DateTimeOffset.UnixEpoch,
                };
            case 7:
                return random.Next(4) switch
                {
                    0 => TimeSpan.MaxValue,
                    1 => TimeSpan.MinValue,
                    2 => TimeSpan.Zero,
                    _ => TimeSpan.FromTicks(random.NextInt64(long.MinValue, long.MaxValue)),
                };
            case 8:
                return Mutate.RandomBytes(random, random.Next(16));
            case 9:
                return random.Next(5) switch
                {
                    0 => Guid.Empty,
                    1 => new Uri("https://example.com/x"),
                    2 => Huge.Big,
                    3 => DayOfWeek.Saturday,
                    _ => new object(),
                };
            case 10:
                return (char)random.Next(0x10000);
            case 11:
                return Array.Empty<object>();
            case 12:
                return new Hashtable();
            case 13:
                return Enumerable.Range(0, random.Next(5)).Select(_ => Anything(random, depth - 1)).ToArray();
            case 14:
                IDictionary bag = NewBag(random);
                for (int i = random.Next(4); i > 0; i--)
                {
                    Put(bag, RandomKey(random), Anything(random, depth - 1));
                }

                return bag;
            default:
                return new List<object?> { Anything(random, depth - 1), Number(random) };
        }
    }

    /// <summary>A number of a random .NET numeric type: extremes, NaN and infinities, fractions, whole values as floating point.</summary>
    private static object Number(Random random) => random.Next(24) switch
    {
        0 => random.Next(),
        1 => -random.Next(),
        2 => int.MinValue,
        3 => long.MaxValue,
        4 => long.MinValue,
        5 => ulong.MaxValue,
        6 => uint.MaxValue,
        7 => (short)random.Next(short.MinValue, short.MaxValue),
        8 => (ushort)random.Next(ushort.MaxValue),
        9 => (byte)random.Next(256),
        10 => (sbyte)random.Next(-128, 128),
        11 => BigInteger.Pow(10, random.Next(1, 60)) * (random.Next(2) == 0 ? 1 : -1),
        12 => decimal.MaxValue,
        13 => decimal.MinValue,
        14 => (decimal)random.Next() / 7m,
        15 => 3m,
        16 => double.NaN,
        17 => random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
        18 => -0.0,
        19 => double.MaxValue,
        20 => random.NextDouble() * Math.Pow(10, random.Next(-20, 40)),
        21 => (float)(random.NextDouble() * 1e6),
        22 => float.NaN,
        _ => (Half)random.Next(100),
    };

    /// <summary>Adds an entry the way the dictionary allows: string keys for Dictionary&lt;string, object?&gt;, the first value for a key kept.</summary>
    private static void Put(IDictionary bag, object key, object? value)
    {
        object typedKey = bag is Dictionary<string, object?> ? Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty : key;
        if (!bag.Contains(typedKey))
        {
            bag[typedKey] = value;
        }
    }

    private static IDictionary NewBag(Random random) => random.Next(5) switch
    {
        // PowerShell's @{}: case-insensitive keys.
        0 or 1 => new Hashtable(StringComparer.OrdinalIgnoreCase),
        2 => new OrderedDictionary(StringComparer.OrdinalIgnoreCase),
        3 => new Dictionary<string, object?>(StringComparer.Ordinal),
        _ => new Hashtable(),
    };

    private static object RandomKey(Random random) => random.Next(8) switch
    {
        0 => random.Next(100),
        1 => "@type",
        2 => string.Empty,
        _ => Mutate.Text(random, 10),
    };

    /// <summary>A readable rendering of an object tree, types included, abbreviated past a few levels and items.</summary>
    private static string Describe(object? value, int depth)
    {
        if (depth > 250)
        {
            return "...";
        }

        return value switch
        {
            null => "null",
            string s => Show.Text(s),
            byte[] bytes => $"byte[]0x{Show.Hex(bytes)}",
            IDictionary map => $"{value.GetType().Name}{{{string.Join(", ", map.Cast<DictionaryEntry>().Take(12).Select(e => $"{Describe(e.Key, depth + 1)}: {Describe(e.Value, depth + 1)}"))}}}",
            IEnumerable items => $"{value.GetType().Name}[{string.Join(", ", items.Cast<object?>().Take(12).Select(i => Describe(i, depth + 1)))}]",
            IFormattable formattable => $"({value.GetType().Name}){formattable.ToString(null, CultureInfo.InvariantCulture)}",
            _ => $"({value.GetType().Name}){value}",
        };
    }
}
