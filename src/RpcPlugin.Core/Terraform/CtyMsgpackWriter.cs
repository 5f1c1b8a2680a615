using System.Numerics;
using MessagePack;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// Writes canonical values (<see cref="CtyValueNormalizer"/>) as cty's msgpack, byte for byte as Terraform's own
/// encoder would for the same value: objects as maps with every attribute in name order, map keys in order,
/// numbers as ints when they are integers that fit 64 bits, as float64 when a double holds them exactly, else as
/// decimal strings; <c>dynamic</c> as <c>[type JSON, value]</c>; unknown as extension type 0.
/// </summary>
internal static class CtyMsgpackWriter
{
    // go-cty's encoding of a wholly unknown value: fixext1, type 0, one zero byte.
    private static readonly byte[] Unknown = { 0xd4, 0x00, 0x00 };

    private static readonly BigInteger MinLong = long.MinValue;
    private static readonly BigInteger MaxLong = long.MaxValue;

    /// <param name="writer">Where to write.</param>
    /// <param name="declared">The type the receiver decodes with: where it is dynamic, the value carries its type.</param>
    /// <param name="concrete">The value's actual type (equal to <paramref name="declared"/> where that is not dynamic).</param>
    /// <param name="value">The canonical value.</param>
    public static void Write(ref MessagePackWriter writer, CtyType declared, CtyType concrete, object? value)
    {
        if (value is TerraformUnknown)
        {
            writer.WriteRaw(Unknown);
            return;
        }

        if (declared.Kind == CtyKind.Dynamic)
        {
            if (value is null || concrete.Kind == CtyKind.Dynamic)
            {
                writer.WriteNil();
                return;
            }

            writer.WriteArrayHeader(2);
            writer.Write(concrete.ToJsonBytes());
            Write(ref writer, concrete, concrete, value);
            return;
        }

        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        switch (declared.Kind)
        {
            case CtyKind.String:
                writer.Write((string)value);
                break;
            case CtyKind.Bool:
                writer.Write((bool)value);
                break;
            case CtyKind.Number:
                WriteNumber(ref writer, value);
                break;
            case CtyKind.List or CtyKind.Set:
                var items = (object?[])value;
                writer.WriteArrayHeader(items.Length);
                foreach (object? item in items)
                {
                    Write(ref writer, declared.ElementType!, concrete.ElementType!, item);
                }

                break;
            case CtyKind.Tuple:
                var elements = (object?[])value;
                writer.WriteArrayHeader(elements.Length);
                for (int i = 0; i < elements.Length; i++)
                {
                    Write(ref writer, declared.Elements[i], concrete.Elements[i], elements[i]);
                }

                break;
            case CtyKind.Map:
                var entries = (KeyValuePair<string, object?>[])value;
                writer.WriteMapHeader(entries.Length);
                foreach (KeyValuePair<string, object?> entry in entries)
                {
                    writer.Write(entry.Key);
                    Write(ref writer, declared.ElementType!, concrete.ElementType!, entry.Value);
                }

                break;
            default:
                var attributes = (object?[])value;
                writer.WriteMapHeader(attributes.Length);
                foreach (int i in declared.SortedAttributes)
                {
                    writer.Write(declared.Attributes[i].Name);
                    Write(ref writer, declared.Attributes[i].Type, concrete.Attributes[i].Type, attributes[i]);
                }

                break;
        }
    }

    private static void WriteNumber(ref MessagePackWriter writer, object value)
    {
        if (value is double d)
        {
            // A double is sent as the exact binary value it is; an integral one that fits 64 bits as an int.
            if (d >= -9.2233720368547758E18 && d < 9.2233720368547758E18 && d == System.Math.Floor(d))
            {
                writer.Write((long)d);
            }
            else
            {
                writer.Write(d);
            }

            return;
        }

        var number = (CtyNumber)value;
        if (number.Infinity != 0)
        {
            writer.Write(number.ToDouble());
        }
        else if (number.IsInteger)
        {
            BigInteger integer = number.ToBigInteger();
            if (integer >= MinLong && integer <= MaxLong)
            {
                writer.Write((long)integer);
            }
            else
            {
                writer.Write(number.ToPlainString());
            }
        }
        else if (number.IsExactDouble(out double exact))
        {
            writer.Write(exact);
        }
        else
        {
            writer.Write(number.ToPlainString());
        }
    }
}
