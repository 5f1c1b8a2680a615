using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using RpcPlugin.Core.Terraform;
using RpcPlugin.Core.Tests.Fuzz;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>Random cty types, schemas and values of them, as a script would give them, for the fuzz tests.</summary>
internal static class CtyRandom
{
    private static readonly string[] Names = { "a", "b", "name", "Name", "id", "tags", "x_y", "é", "日本", "" };

    public static CtyType Type(Random random, int depth)
    {
        int pick = random.Next(depth <= 0 ? 4 : 9);
        return pick switch
        {
            0 => CtyType.String,
            1 => CtyType.Number,
            2 => CtyType.Bool,
            3 => CtyType.Dynamic,
            4 => CtyType.List(Type(random, depth - 1)),
            5 => CtyType.Set(Type(random, depth - 1)),
            6 => CtyType.Map(Type(random, depth - 1)),
            7 => CtyType.Tuple(Enumerable.Range(0, random.Next(4)).Select(_ => Type(random, depth - 1)).ToList()),
            _ => CtyType.Object(Names.OrderBy(_ => random.Next()).Take(random.Next(5)).Select(n => new CtyAttribute(n, Type(random, depth - 1), random.Next(4) == 0))),
        };
    }

    /// <summary>A value that fits <paramref name="type"/>, in one of the forms a script could give.</summary>
    public static object? Value(Random random, CtyType type, int depth)
    {
        switch (random.Next(12))
        {
            case 0:
                return null;
            case 1:
                return TerraformUnknown.Value;
        }

        switch (type.Kind)
        {
            case CtyKind.String:
                return Mutate.Text(random, 12, loneSurrogates: random.Next(8) == 0);
            case CtyKind.Number:
                return Number(random);
            case CtyKind.Bool:
                return random.Next(2) == 0;
            case CtyKind.Dynamic:
                return Value(random, Type(random, Math.Min(depth, 2)), depth - 1);
            case CtyKind.List or CtyKind.Set:
                var items = Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, type.ElementType!, depth - 1)).ToArray();
                return random.Next(3) == 0 ? items.ToList() : items;
            case CtyKind.Tuple:
                return type.Elements.Select(e => Value(random, e, depth - 1)).ToArray();
            case CtyKind.Map:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (int i = random.Next(4); i > 0; i--)
                {
                    map[Mutate.Text(random, 6, loneSurrogates: false)] = Value(random, type.ElementType!, depth - 1);
                }

                return map;
            default:
                // Some attributes left out (they go as null), names sometimes in another case when that is unambiguous.
                var properties = type.Attributes.Where(_ => random.Next(4) != 0)
                    .Select(a => (Name: CaseOf(random, type, a.Name), Value: Value(random, a.Type, depth - 1)))
                    .ToArray();
                return random.Next(2) == 0 ? new Record(properties) : properties.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        }
    }

    /// <summary>Numbers of every .NET type, numeric strings, and the edges of long, ulong and double.</summary>
    public static object Number(Random random) => random.Next(14) switch
    {
        0 => random.Next(-100, 100),
        1 => random.NextInt64(),
        2 => (ulong)random.NextInt64() * 2,
        3 => BigInteger.Pow(2, random.Next(60, 200)) + random.Next(-2, 3),
        4 => random.NextDouble() * Math.Pow(10, random.Next(-300, 300)),
        5 => (double)random.Next(-1000, 1000),
        6 => (decimal)random.NextDouble() * random.Next(1, 100000),
        7 => new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 0, (byte)random.Next(29)),
        8 => (float)random.NextDouble(),
        9 => random.Next(-5, 6).ToString(CultureInfo.InvariantCulture) + "." + random.NextInt64().ToString(CultureInfo.InvariantCulture) + random.NextInt64().ToString(CultureInfo.InvariantCulture),
        10 => random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
        11 => $"{random.Next(1, 10)}e{random.Next(-40, 40)}",
        12 => (short)random.Next(short.MinValue, short.MaxValue),
        _ => double.MaxValue * (random.Next(2) == 0 ? 1 : -1),
    };

    /// <summary>A random schema block: attributes of random types and nested blocks of every nesting mode.</summary>
    public static string BlockJson(Random random, int depth)
    {
        var names = Names.Where(n => n.Length > 0 && n != "Name").OrderBy(_ => random.Next()).ToList();
        int attributeCount = random.Next(Math.Min(4, names.Count) + 1);
        var attributes = names.Take(attributeCount).Select(n => SchemaJson.Attribute(n, Type(random, 2).ToJson(), random.Next(2) == 0 ? "optional" : "computed"));
        var blocks = depth <= 0 ? Enumerable.Empty<string>() : names.Skip(attributeCount).Take(random.Next(3)).Select(n =>
        {
            string nesting = new[] { "SINGLE", "LIST", "SET", "MAP", "GROUP" }[random.Next(5)];
            return $$$"""{"type_name":"{{{n}}}","nesting":"{{{nesting}}}","block":{{{BlockJson(random, depth - 1)}}}}""";
        });
        return $$"""{"attributes":[{{string.Join(",", attributes)}}],"block_types":[{{string.Join(",", blocks)}}]}""";
    }

    /// <summary>A value for a schema block: attributes by type, nested blocks by nesting mode, some left out.</summary>
    public static object? BlockValue(Random random, SchemaBlock block, int depth)
    {
        var value = new Hashtable();
        foreach (SchemaAttribute attribute in block.Attributes.Where(_ => random.Next(3) != 0))
        {
            value[attribute.Name] = Value(random, attribute.ImpliedType, depth);
        }

        foreach (SchemaNestedBlock nested in block.BlockTypes.Where(_ => random.Next(3) != 0))
        {
            value[nested.TypeName] = nested.Nesting switch
            {
                SchemaNesting.Single or SchemaNesting.Group => random.Next(4) == 0 ? null : BlockValue(random, nested.Block, depth - 1),
                SchemaNesting.Map => Enumerable.Range(0, random.Next(3)).ToDictionary(i => "k" + i.ToString(CultureInfo.InvariantCulture), _ => BlockValue(random, nested.Block, depth - 1)),
                _ => Enumerable.Range(0, random.Next(3)).Select(_ => BlockValue(random, nested.Block, depth - 1)).ToArray(),
            };
        }

        return value;
    }

    private static string CaseOf(Random random, CtyType type, string name)
    {
        string upper = name.ToUpperInvariant();
        bool unique = type.Attributes.Count(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)) == 1;
        return unique && random.Next(4) == 0 ? upper : name;
    }
}
