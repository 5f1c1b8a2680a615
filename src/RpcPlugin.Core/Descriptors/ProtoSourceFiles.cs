extern alias ProtobufNet;

using RpcPlugin.Core.Errors;
using ProtobufNetReflection = ProtobufNet::Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// The file system protobuf-net.Reflection reads .proto files through. Each file is read once, and its text is
/// kept so that comments can be recovered from exactly the text that was parsed.
/// </summary>
internal sealed class ProtoSourceFiles : ProtobufNetReflection.IFileSystem
{
    private readonly Dictionary<string, string> texts = new(StringComparer.Ordinal);

    /// <summary>Full paths of the files read so far, with their text.</summary>
    public IReadOnlyDictionary<string, string> Texts => texts;

    public bool Exists(string path) => File.Exists(path);

    public TextReader OpenText(string path) => new StringReader(Read(path));

    /// <summary>Reads (once) a file's text; an unreadable file is a descriptor error naming it.</summary>
    public string Read(string path)
    {
        string full = Path.GetFullPath(path);
        if (texts.TryGetValue(full, out string? text))
        {
            return text;
        }

        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PluginException(PluginErrorCode.DescriptorInvalid, $"Cannot read the .proto file '{full}': {e.Message}", e);
        }

        texts[full] = text;
        return text;
    }
}
