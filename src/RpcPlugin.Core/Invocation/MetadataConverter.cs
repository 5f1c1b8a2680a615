using System;
using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using Grpc.Core;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Invocation;

/// <summary>gRPC metadata to and from dictionaries: keys lower-case, <c>-bin</c> keys carry byte[].</summary>
public static class MetadataConverter
{
    /// <summary>Builds call metadata from a dictionary; <c>-bin</c> keys take byte[] (or base64 text), others text.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/> for a key or value gRPC cannot carry.</exception>
    public static Metadata FromDictionary(IDictionary? entries, Func<object?, object?>? unwrap = null)
    {
        var metadata = new Metadata();
        if (entries is null)
        {
            return metadata;
        }

        foreach (DictionaryEntry entry in entries)
        {
            string key = (Convert.ToString(unwrap?.Invoke(entry.Key) ?? entry.Key, CultureInfo.InvariantCulture) ?? string.Empty).ToLowerInvariant();
            object? value = unwrap?.Invoke(entry.Value) ?? entry.Value;
            try
            {
                if (key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal))
                {
                    metadata.Add(key, value is byte[] bytes ? bytes : Convert.FromBase64String(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                }
                else
                {
                    metadata.Add(key, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new PluginException(PluginErrorCode.InvalidArgument, $"The metadata entry '{key}' cannot be sent: {e.Message}")
                {
                    RecommendedAction = "Metadata keys are lower-case ASCII letters, digits, '-', '_' and '.'; keys ending in '-bin' take byte[] values.",
                };
            }
        }

        return metadata;
    }

    /// <summary>Turns received metadata into an ordered dictionary (repeated keys become arrays).</summary>
    public static OrderedDictionary ToDictionary(Metadata? metadata)
    {
        var result = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        if (metadata is null)
        {
            return result;
        }

        foreach (Metadata.Entry entry in metadata)
        {
            object value = entry.IsBinary ? entry.ValueBytes : entry.Value;
            if (result[entry.Key] is { } existing)
            {
                result[entry.Key] = existing is object[] list ? [.. list, value] : new[] { existing, value };
            }
            else
            {
                result[entry.Key] = value;
            }
        }

        return result;
    }
}
