using System;
using System.Collections.Generic;
using System.Text;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// Protobuf wire-format input for the codec fuzz: random field sequences shaped by a descriptor (right and wrong
/// wire types, nested messages, groups, packed blocks, map entries, forged lengths), and a walker that finds the
/// length prefixes in an encoding so they can be replaced with lies.
/// </summary>
internal static class WireFuzz
{
    private const int MaxBytes = 4_096;

    /// <summary>A random encoding of fields of <paramref name="type"/> (null: no descriptor, random field numbers).</summary>
    public static byte[] RandomMessage(Random random, MessageDescriptor? type, int maxDepth)
    {
        var output = new List<byte>();
        Fields(random, type, output, maxDepth);
        return output.ToArray();
    }

    /// <summary>Positions and sizes of the length varints in an encoding, top level and (where they parse) nested.</summary>
    public static List<(int Offset, int Size, int Length)> LengthPrefixes(ReadOnlySpan<byte> data)
    {
        var found = new List<(int, int, int)>();
        Walk(data, 0, found, 0);
        return found;
    }

    /// <summary>
    /// A chain of length-delimited <c>child</c> fields (number 3, as in testplugin.Nested) <paramref name="depth"/>
    /// deep; with inconsistent lengths, every length claims 7 bytes more than its content has.
    /// </summary>
    public static byte[] NestedChain(int depth, bool consistentLengths)
    {
        // Sizes from the inside out, then one forward pass: linear in the depth.
        var contentLengths = new ulong[depth];
        ulong inner = 0;
        for (int i = depth - 1; i >= 0; i--)
        {
            contentLengths[i] = inner;
            ulong claimed = consistentLengths ? inner : inner + 7;
            inner += 1 + (ulong)Mutate.Varint(claimed).Length;
        }

        var output = new List<byte>((int)inner);
        for (int i = 0; i < depth; i++)
        {
            output.Add(0x1A); // field 3, length-delimited
            output.AddRange(Mutate.Varint(consistentLengths ? contentLengths[i] : contentLengths[i] + 7));
        }

        return output.ToArray();
    }

    /// <summary>Start-group tags nested <paramref name="depth"/> deep (with or without their end tags).</summary>
    public static byte[] NestedGroups(int fieldNumber, int depth, bool closed)
    {
        byte[] start = Mutate.Varint(((ulong)fieldNumber << 3) | 3);
        byte[] end = Mutate.Varint(((ulong)fieldNumber << 3) | 4);
        var output = new List<byte>();
        for (int i = 0; i < depth; i++)
        {
            output.AddRange(start);
        }

        if (closed)
        {
            for (int i = 0; i < depth; i++)
            {
                output.AddRange(end);
            }
        }

        return output.ToArray();
    }

    private static void Fields(Random random, MessageDescriptor? type, List<byte> output, int depth)
    {
        IList<FieldDescriptor> fields = type?.Fields.InDeclarationOrder() ?? Array.Empty<FieldDescriptor>();
        for (int count = random.Next(0, 7); count > 0 && output.Count < MaxBytes; count--)
        {
            FieldDescriptor? field = fields.Count > 0 && random.Next(6) != 0 ? fields[random.Next(fields.Count)] : null;
            int number = field?.FieldNumber ?? random.Next(5) switch
            {
                0 => random.Next(1, 16),
                1 => random.Next(16, 2048),
                2 => 536_870_911,
                3 => random.Next(19_000, 20_000),
                _ => random.Next(1, 200),
            };
            int wireType = field is not null && random.Next(8) != 0 ? WireTypeOf(random, field) : random.Next(8);
            Tag(random, output, number, wireType);
            switch (wireType)
            {
                case 0:
                    output.AddRange(VarintValue(random));
                    break;
                case 1:
                    output.AddRange(Mutate.RandomBytes(random, random.Next(20) == 0 ? random.Next(8) : 8));
                    break;
                case 2:
                    LengthDelimited(random, field, output, depth);
                    break;
                case 3:
                    if (depth > 0)
                    {
                        Fields(random, field?.FieldType == FieldType.Group ? field.MessageType : null, output, depth - 1);
                    }

                    if (random.Next(10) != 0)
                    {
                        Tag(random, output, random.Next(10) == 0 ? number + 1 : number, 4);
                    }

                    break;
                case 4:
                    break;
                case 5:
                    output.AddRange(Mutate.RandomBytes(random, random.Next(20) == 0 ? random.Next(4) : 4));
                    break;
                default:
                    output.AddRange(Mutate.RandomBytes(random, random.Next(4)));
                    break;
            }
        }
    }

    private static void LengthDelimited(Random random, FieldDescriptor? field, List<byte> output, int depth)
    {
        var content = new List<byte>();
        if (field is not null && field.FieldType is FieldType.Message or FieldType.Group && depth > 0)
        {
            Fields(random, field.MessageType, content, depth - 1);
        }
        else if (field is not null && field.FieldType == FieldType.String)
        {
            content.AddRange(random.Next(4) switch
            {
                0 => Mutate.RandomBytes(random, random.Next(12)),
                1 => new byte[] { 0xC3, 0x28, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80 }.AsSpan(random.Next(9)).ToArray(),
                _ => Encoding.UTF8.GetBytes(Mutate.Text(random, 16, loneSurrogates: false)),
            });
        }
        else if ((field is not null && field.IsPacked) || (field?.IsRepeated == true && random.Next(2) == 0))
        {
            for (int i = random.Next(0, 12); i > 0; i--)
            {
                content.AddRange(random.Next(3) == 0 ? Mutate.RandomBytes(random, random.Next(1, 9)) : VarintValue(random));
            }
        }
        else
        {
            content.AddRange(Mutate.RandomBytes(random, random.Next(random.Next(10) == 0 ? 300 : 16)));
        }

        ulong length = random.Next(12) switch
        {
            0 => Mutate.InterestingLength(random),
            1 => (ulong)content.Count + (ulong)random.Next(1, 4),
            2 when content.Count > 0 => (ulong)content.Count - 1,
            _ => (ulong)content.Count,
        };
        output.AddRange(Mutate.Varint(length));
        output.AddRange(content);
    }

    private static void Tag(Random random, List<byte> output, int number, int wireType)
    {
        ulong tag = ((ulong)(uint)number << 3) | (uint)wireType;
        byte[] bytes = Mutate.Varint(tag);
        if (random.Next(30) == 0)
        {
            // Over-long but valid varint encoding of the tag.
            bytes[^1] |= 0x80;
            output.AddRange(bytes);
            output.Add(0);
            return;
        }

        output.AddRange(bytes);
    }

    private static byte[] VarintValue(Random random) => random.Next(8) switch
    {
        0 => new byte[] { 0 },
        1 => new byte[] { 1 },
        2 => Mutate.Varint(ulong.MaxValue),
        3 => Mutate.Varint(unchecked((ulong)int.MinValue)),
        4 => Mutate.Varint((ulong)random.NextInt64()),
        // Eleven bytes: too long for any varint.
        5 => new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 },
        6 => Mutate.Varint(uint.MaxValue),
        _ => Mutate.Varint((ulong)random.Next(300)),
    };

    private static int WireTypeOf(Random random, FieldDescriptor field) => field.FieldType switch
    {
        _ when field.IsRepeated && !field.IsMap && field.FieldType is not (FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group) && random.Next(2) == 0 => 2,
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => 1,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => 5,
        FieldType.String or FieldType.Bytes or FieldType.Message => 2,
        FieldType.Group => 3,
        _ => 0,
    };

    private static void Walk(ReadOnlySpan<byte> data, int baseOffset, List<(int, int, int)> found, int depth)
    {
        int position = 0;
        while (position < data.Length)
        {
            if (!TryVarint(data, ref position, out ulong tag))
            {
                return;
            }

            switch (tag & 7)
            {
                case 0:
                    if (!TryVarint(data, ref position, out _))
                    {
                        return;
                    }

                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                case 2:
                    int start = position;
                    if (!TryVarint(data, ref position, out ulong length) || length > (ulong)(data.Length - position))
                    {
                        return;
                    }

                    found.Add((baseOffset + start, position - start, (int)length));
                    if (depth < 40)
                    {
                        // Strings and bytes may happen to walk as messages too; a few false prefixes do no harm.
                        Walk(data.Slice(position, (int)length), baseOffset + position, found, depth + 1);
                    }

                    position += (int)length;
                    break;
                case 3:
                case 4:
                    break;
                default:
                    return;
            }
        }
    }

    private static bool TryVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && position < data.Length; shift += 7)
        {
            byte b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
