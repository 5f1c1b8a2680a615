using System;
using System.Collections;
using System.Collections.Specialized;
using System.Text;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Tests.Codec.Proto2;
using RpcPlugin.TestPlugin.Protos;
using Tree = RpcPlugin.Core.Tests.Codec.Proto3.Tree;

namespace RpcPlugin.Core.Tests.Codec;

/// <summary>
/// Seeded random dynamic messages of any type: random field subsets, extreme and ordinary values, random list and
/// map sizes and nesting depth. Values stay within what every oracle can represent: well-known types are valid
/// for JSON, and -0.0 appears only where generated C# keeps it (fields with presence and lists).
/// </summary>
internal sealed class RandomMessages
{
    private const string Characters = "abcXYZ019 _-\"\\\n\t\0éß日本✓";
    private static readonly MessageDescriptor[] AnyPayloads =
    {
        Nested.Descriptor, Child.Descriptor, Tree.Descriptor, Timestamp.Descriptor, Duration.Descriptor,
        Struct.Descriptor, Int64Value.Descriptor, Empty.Descriptor, FieldMask.Descriptor,
    };

    private readonly Random random;

    public RandomMessages(int seed)
    {
        random = new Random(seed);
    }

    public int Next(int maxValue) => random.Next(maxValue);

    public DynamicMessage Create(MessageDescriptor type, int depth)
    {
        var message = new DynamicMessage(type);
        if (FillWellKnown(message, depth))
        {
            return message;
        }

        foreach (FieldDescriptor field in type.Fields.InDeclarationOrder())
        {
            if ((!field.IsRequired && random.Next(5) < 2)
                || (field.RealContainingOneof is { } oneof && message.WhichOneof(oneof) is not null)
                || (field.IsRepeated && depth <= 0 && HoldsMessages(field)))
            {
                continue;
            }

            if (field.IsMap)
            {
                FillMap(message.GetMap(field), field.MessageType, depth);
            }
            else if (field.IsRepeated)
            {
                var list = (IList)FieldDefaults.For(field)!;
                for (int i = random.Next(5); i > 0; i--)
                {
                    list.Add(Element(field, depth, allowNegativeZero: true) ?? Create(field.MessageType, depth - 1));
                }

                message[field] = list;
            }
            else if (Element(field, depth, allowNegativeZero: field.HasPresence) is { } value)
            {
                message[field] = value;
            }
        }

        return message;
    }

    /// <summary>Lists and maps of messages are only created above depth 0, so recursion ends.</summary>
    private static bool HoldsMessages(FieldDescriptor field) =>
        field.FieldType is FieldType.Message or FieldType.Group
        && (!field.IsMap || field.MessageType.FindFieldByNumber(2).FieldType == FieldType.Message);

    private void FillMap(OrderedDictionary map, MessageDescriptor entry, int depth)
    {
        FieldDescriptor key = entry.FindFieldByNumber(1);
        FieldDescriptor value = entry.FindFieldByNumber(2);
        for (int i = random.Next(4); i > 0; i--)
        {
            map[Element(key, depth, false)!] = Element(value, depth, false) ?? Create(value.MessageType, depth - 1);
        }
    }

    /// <summary>A value for one element of the field; null for a message too deep to create.</summary>
    private object? Element(FieldDescriptor field, int depth, bool allowNegativeZero) => field.FieldType switch
    {
        FieldType.Message or FieldType.Group => depth > 0 || field.IsRequired ? Create(field.MessageType, depth - 1) : null,
        FieldType.Enum when field.EnumType.FullName == "google.protobuf.NullValue" => 0,
        FieldType.Enum => random.Next(5) == 0 ? random.Next(-3, 100) : field.EnumType.Values[random.Next(field.EnumType.Values.Count)].Number,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Pick(0, 1, -1, int.MinValue, int.MaxValue, random.Next(), -random.Next(100_000)),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Pick(0L, -1L, long.MinValue, long.MaxValue, random.NextInt64(), (long)random.Next(300)),
        FieldType.UInt32 or FieldType.Fixed32 => Pick(0U, 1U, uint.MaxValue, (uint)random.Next(), 128U),
        FieldType.UInt64 or FieldType.Fixed64 => Pick(0UL, ulong.MaxValue, (ulong)random.NextInt64(), 16_384UL),
        FieldType.Float => Pick(0F, 1.5F, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue,
            allowNegativeZero ? -0F : 2F, (float)((random.NextDouble() - 0.5) * 1e6)),
        FieldType.Double => Pick(0D, -2.5D, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue,
            allowNegativeZero ? -0D : 3D, (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30))),
        FieldType.Bool => random.Next(2) == 0,
        FieldType.String => Text(random.Next(9)),
        _ => Bytes(random.Next(9)),
    };

    private bool FillWellKnown(DynamicMessage message, int depth)
    {
        MessageDescriptor type = message.Descriptor;
        FieldDescriptor? Field(int number) => type.FindFieldByNumber(number);
        switch (type.FullName)
        {
            case "google.protobuf.Timestamp":
                message[Field(1)!] = random.NextInt64(-62_135_596_800, 253_402_300_800);
                message[Field(2)!] = random.Next(1_000_000_000);
                return true;
            case "google.protobuf.Duration":
                long seconds = random.NextInt64(-315_576_000_000, 315_576_000_001);
                int nanos = random.Next(1_000_000_000);
                message[Field(1)!] = seconds;
                message[Field(2)!] = seconds < 0 || (seconds == 0 && random.Next(2) == 0) ? -nanos : nanos;
                return true;
            case "google.protobuf.FieldMask":
                var paths = message.GetList<string>(Field(1)!);
                for (int i = random.Next(3); i > 0; i--)
                {
                    paths.Add(Pick("a", "foo_bar", "foo_bar.baz_qux", "x.y.z", "long_name_here"));
                }

                return true;
            case "google.protobuf.Value":
                FillValue(message, depth);
                return true;
            case "google.protobuf.Struct":
                var fields = message.GetMap(Field(1)!);
                for (int i = depth > 0 ? random.Next(4) : 0; i > 0; i--)
                {
                    fields["k" + Text(random.Next(4))] = Create(Value.Descriptor, depth - 1);
                }

                return true;
            case "google.protobuf.ListValue":
                var values = message.GetList<DynamicMessage>(Field(1)!);
                for (int i = depth > 0 ? random.Next(4) : 0; i > 0; i--)
                {
                    values.Add(Create(Value.Descriptor, depth - 1));
                }

                return true;
            case "google.protobuf.Any":
                MessageDescriptor payload = AnyPayloads[random.Next(AnyPayloads.Length)];
                message[Field(1)!] = "type.googleapis.com/" + payload.FullName;
                message[Field(2)!] = DynamicCodec.Encode(Create(payload, Math.Min(depth, 1) - 1));
                return true;
            default:
                return false;
        }
    }

    private void FillValue(DynamicMessage message, int depth)
    {
        MessageDescriptor type = message.Descriptor;
        switch (random.Next(depth > 0 ? 6 : 4))
        {
            case 0:
                message[type.FindFieldByNumber(1)] = 0;
                break;
            case 1:
                message[type.FindFieldByNumber(2)] = Pick(0D, -0D, 1.5D, -1e300, random.NextDouble());
                break;
            case 2:
                message[type.FindFieldByNumber(3)] = Text(random.Next(6));
                break;
            case 3:
                message[type.FindFieldByNumber(4)] = random.Next(2) == 0;
                break;
            case 4:
                message[type.FindFieldByNumber(5)] = Create(Struct.Descriptor, depth - 1);
                break;
            default:
                message[type.FindFieldByNumber(6)] = Create(ListValue.Descriptor, depth - 1);
                break;
        }
    }

    private string Text(int length)
    {
        var text = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            if (random.Next(10) == 0)
            {
                text.Append("😀");
            }
            else
            {
                text.Append(Characters[random.Next(Characters.Length)]);
            }
        }

        return text.ToString();
    }

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(params T[] choices) => choices[random.Next(choices.Length)];
}
