using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Descriptors;

/// <summary>Reads FileDescriptorSet files (<c>protoc --descriptor_set_out --include_imports</c>, <c>buf build -o</c>).</summary>
public static class DescriptorSetLoader
{
    /// <summary>
    /// Reads the files of a descriptor set: binary, or the JSON form <c>buf build -o set.json</c> writes. Imports
    /// the set lacks are reported when the pool is built, since another source may provide them.
    /// </summary>
    /// <param name="path">The descriptor set file.</param>
    /// <returns>Its files, in the order the set lists them.</returns>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.DescriptorInvalid"/>: missing, unreadable, or not a descriptor set.</exception>
    public static IReadOnlyList<DescriptorFile> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(full, e is FileNotFoundException or DirectoryNotFoundException ? "the file was not found" : e.Message, e);
        }

        // Binary first: its first byte (0x0A) would pass for JSON whitespace, so JSON is only the fallback.
        FileDescriptorSet? set = ParseBinary(bytes);
        Exception? jsonError = null;
        if (set is null && LooksLikeJson(bytes))
        {
            try
            {
                set = JsonParser.Default.Parse<FileDescriptorSet>(Encoding.UTF8.GetString(bytes));
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
            {
                jsonError = e;
            }
        }

        if (set is null || !IsPlausible(set))
        {
            throw Invalid(full, "it is not a FileDescriptorSet (write one with protoc --descriptor_set_out=FILE --include_imports, or buf build -o FILE)", jsonError);
        }

        return set.File.Select(f => new DescriptorFile(f, full, DescriptorSourceKind.DescriptorSet)).ToList();
    }

    private static FileDescriptorSet? ParseBinary(byte[] bytes)
    {
        try
        {
            var set = FileDescriptorSet.Parser.ParseFrom(bytes);
            return IsPlausible(set) ? set : null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>Arbitrary bytes can parse as a message of unknown fields; a real set has files, each named.</summary>
    private static bool IsPlausible(FileDescriptorSet set) => set.File.Count > 0 && set.File.All(f => !string.IsNullOrEmpty(f.Name));

    private static bool LooksLikeJson(byte[] bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b == (byte)'{';
        }

        return false;
    }

    private static PluginException Invalid(string path, string reason, Exception? inner) =>
        new(PluginErrorCode.DescriptorInvalid, $"Cannot use the descriptor set '{path}': {reason}.", inner);
}
