using System.Buffers;
using System.Text.Json;
using MessagePack;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// Terraform values (the contents of a <c>DynamicValue</c>) to and from host values, by cty type or schema block.
/// Encoding takes what a script gives: dictionaries and records for objects and maps (attributes not given are
/// null), sequences for lists, sets and tuples, numbers of any .NET numeric type, strings, bools, null and
/// <see cref="TerraformUnknown"/>. Decoding gives long, BigInteger, double or decimal text for numbers, strings,
/// bools, object?[] and OrderedDictionary, and <see cref="TerraformUnknown"/>. docs/terraform.md has the rules.
/// </summary>
public static class CtyCodec
{
    /// <summary>Encodes a value of a cty type as msgpack.</summary>
    /// <param name="type">The value's type.</param>
    /// <param name="value">The value.</param>
    /// <param name="adapter">Sees through the host's wrappers (PSObject); plain .NET values when null.</param>
    /// <param name="path">Where the value goes (a request field such as <c>config</c>), for error messages.</param>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidRequest"/>, naming the attribute path and what was wrong.</exception>
    public static byte[] Encode(CtyType type, object? value, IValueAdapter? adapter = null, string path = "")
    {
        ArgumentNullException.ThrowIfNull(type);
        return EncodeWith(type, path, normalizer => normalizer.Normalize(type, value, 0), adapter);
    }

    /// <summary>
    /// Encodes the value of a schema block (a configuration, a state) as msgpack: attributes not given are null,
    /// nested blocks not given are empty (lists, sets, maps), null (single) or all-null (group).
    /// </summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidRequest"/>, naming the attribute path and what was wrong.</exception>
    public static byte[] Encode(SchemaBlock block, object? value, IValueAdapter? adapter = null, string path = "")
    {
        ArgumentNullException.ThrowIfNull(block);
        return EncodeWith(block.ImpliedType, path, normalizer => normalizer.NormalizeBlock(block, value, 0), adapter);
    }

    /// <summary>Decodes cty msgpack of the given type.</summary>
    /// <param name="type">The value's type (a block's <see cref="SchemaBlock.ImpliedType"/> for block values).</param>
    /// <param name="msgpack">The bytes.</param>
    /// <param name="path">Which response field this is, for error messages.</param>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidResponse"/>, naming the attribute path.</exception>
    public static object? Decode(CtyType type, ReadOnlyMemory<byte> msgpack, string path = "")
    {
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            var reader = new MessagePackReader(msgpack);
            object? value = CtyMsgpackReader.Read(ref reader, type, 0);
            if (!reader.End)
            {
                throw new CtyValueError($"{reader.Sequence.Length - reader.Consumed} byte(s) follow the value");
            }

            return value;
        }
        catch (CtyValueError e)
        {
            throw e.ToResponseError(path);
        }
    }

    /// <summary>Decodes cty JSON of the given type (a DynamicValue's <c>json</c> field).</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidResponse"/>, naming the attribute path.</exception>
    public static object? DecodeJson(CtyType type, ReadOnlyMemory<byte> json, string path = "")
    {
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = (CtyValueNormalizer.MaxDepth * 2) + 4 });
            return CtyJsonReader.Read(document.RootElement, type, 0);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new CtyValueError($"the JSON is malformed ({e.Message})", e).ToResponseError(path);
        }
        catch (CtyValueError e)
        {
            throw e.ToResponseError(path);
        }
    }

    private static byte[] EncodeWith(CtyType declared, string path, Func<CtyValueNormalizer, (CtyType Type, object? Value)> normalize, IValueAdapter? adapter)
    {
        (CtyType concrete, object? canonical) value;
        try
        {
            value = normalize(new CtyValueNormalizer(adapter ?? PlainValueAdapter.Instance));
        }
        catch (CtyValueError e)
        {
            throw e.ToRequestError(path);
        }

        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        CtyMsgpackWriter.Write(ref writer, declared, value.concrete, value.canonical);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
