using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using MessagePack;

namespace RpcPlugin.TerraformProvider.Cty;

/// <summary>
/// cty's msgpack form, written independently of RpcPlugin's core: objects and maps are SortedDictionary, lists,
/// sets and tuples List&lt;object?&gt;, numbers long, double or <see cref="TfNumberText"/>, dynamic values
/// <see cref="TfDynamic"/>, unknown <see cref="TfUnknown"/>.
/// </summary>
internal static class TfMsgpack
{
    public static object? Decode(byte[] bytes, TfType type)
    {
        var reader = new MessagePackReader(bytes);
        return Read(ref reader, type);
    }

    public static byte[] Encode(object? value, TfType type)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, value, type);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static object? Read(ref MessagePackReader reader, TfType type)
    {
        if (reader.NextMessagePackType == MessagePackType.Extension)
        {
            var header = reader.ReadExtensionFormatHeader();
            reader.ReadRaw(header.Length);
            return TfUnknown.Value;
        }

        if (reader.TryReadNil())
        {
            return null;
        }

        switch (type.Kind)
        {
            case "string":
                return reader.ReadString();
            case "bool":
                return reader.ReadBoolean();
            case "number":
                return reader.NextMessagePackType switch
                {
                    MessagePackType.Float => reader.ReadDouble(),
                    MessagePackType.String => ParseNumber(reader.ReadString()!),
                    _ when reader.NextCode == MessagePackCode.UInt64 => ParseNumber(reader.ReadUInt64().ToString(CultureInfo.InvariantCulture)),
                    _ => reader.ReadInt64(),
                };
            case "dynamic":
                if (reader.ReadArrayHeader() != 2)
                {
                    throw new FormatException("a dynamic value is a [type, value] pair");
                }

                TfType actual = TfType.Parse(reader.ReadBytes()!.Value.ToArray());
                return new TfDynamic(actual, Read(ref reader, actual));
            case "list" or "set" or "tuple":
                int count = reader.ReadArrayHeader();
                var items = new List<object?>(count);
                for (int i = 0; i < count; i++)
                {
                    items.Add(Read(ref reader, type.Kind == "tuple" ? type.Elements![i] : type.Element!));
                }

                return items;
            default:
                int entries = reader.ReadMapHeader();
                var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
                for (int i = 0; i < entries; i++)
                {
                    string key = reader.ReadString()!;
                    TfType itemType = type.Kind == "map" ? type.Element! : type.Attributes!.TryGetValue(key, out var t) ? t : throw new FormatException($"unsupported attribute {key}");
                    map[key] = Read(ref reader, itemType);
                }

                return map;
        }
    }

    private static object ParseNumber(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer) ? integer : new TfNumberText(text);

    private static void Write(ref MessagePackWriter writer, object? value, TfType type)
    {
        if (value is TfUnknown)
        {
            writer.WriteRaw(new byte[] { 0xd4, 0, 0 });
            return;
        }

        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        switch (type.Kind)
        {
            case "dynamic":
                var dynamic = (TfDynamic)value;
                writer.WriteArrayHeader(2);
                writer.Write(dynamic.Type.ToJson());
                Write(ref writer, dynamic.Value, dynamic.Type);
                return;
            case "string":
                writer.Write((string)value);
                return;
            case "bool":
                writer.Write((bool)value);
                return;
            case "number":
                WriteNumber(ref writer, value);
                return;
            case "list" or "set" or "tuple":
                var items = (List<object?>)value;
                writer.WriteArrayHeader(items.Count);
                for (int i = 0; i < items.Count; i++)
                {
                    Write(ref writer, items[i], type.Kind == "tuple" ? type.Elements![i] : type.Element!);
                }

                return;
            case "map":
                var map = (SortedDictionary<string, object?>)value;
                writer.WriteMapHeader(map.Count);
                foreach (var (key, item) in map)
                {
                    writer.Write(key);
                    Write(ref writer, item, type.Element!);
                }

                return;
            default:
                var attributes = (SortedDictionary<string, object?>)value;
                writer.WriteMapHeader(type.Attributes!.Count);
                foreach (var (name, attributeType) in type.Attributes!)
                {
                    writer.Write(name);
                    Write(ref writer, attributes.GetValueOrDefault(name), attributeType);
                }

                return;
        }
    }

    private static void WriteNumber(ref MessagePackWriter writer, object value)
    {
        switch (value)
        {
            case long integer:
                writer.Write(integer);
                break;
            case double d when d == Math.Floor(d) && Math.Abs(d) < 9e18:
                writer.Write((long)d);
                break;
            case double d:
                writer.Write(d);
                break;
            case TfNumberText text:
                writer.Write(text.Text);
                break;
            default:
                writer.Write(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
