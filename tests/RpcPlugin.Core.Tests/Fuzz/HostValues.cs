using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Numerics;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// .NET values as a host passes them in requests: dictionaries of every kind, arrays and lists, strings, numbers of
/// every .NET type (BigInteger, decimal, NaN...), bools, null, dates, times and bytes; and a readable rendering of them.
/// </summary>
internal static class HostValues
{
    private enum Huge : ulong
    {
        Small = 1,
        Big = ulong.MaxValue,
    }

    /// <summary>JSON-like .NET values (what a Struct or Value takes), occasionally with non-JSON leaves.</summary>
    public static object? JsonLike(Random random, int depth, bool forceObject)
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
    public static object? Anything(Random random, int depth)
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
    public static object Number(Random random) => random.Next(24) switch
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
    public static void Put(IDictionary bag, object key, object? value)
    {
        object typedKey = bag is Dictionary<string, object?> ? Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty : key;
        if (!bag.Contains(typedKey))
        {
            bag[typedKey] = value;
        }
    }

    public static IDictionary NewBag(Random random) => random.Next(5) switch
    {
        // PowerShell's @{}: case-insensitive keys.
        0 or 1 => new Hashtable(StringComparer.OrdinalIgnoreCase),
        2 => new OrderedDictionary(StringComparer.OrdinalIgnoreCase),
        3 => new Dictionary<string, object?>(StringComparer.Ordinal),
        _ => new Hashtable(),
    };

    public static object RandomKey(Random random) => random.Next(8) switch
    {
        0 => random.Next(100),
        1 => "@type",
        2 => string.Empty,
        _ => Mutate.Text(random, 10),
    };

    /// <summary>A readable rendering of an object tree, types included, abbreviated past a few levels and items.</summary>
    public static string Describe(object? value, int depth)
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
