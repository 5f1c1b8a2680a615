extern alias ProtobufNet;

using Google.Protobuf.Reflection;
using RpcPlugin.Core.Errors;
using ProtobufNetReflection = ProtobufNet::Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// Parses .proto files in-process (users have no protoc) into file descriptors, with SourceCodeInfo so that
/// comments become descriptions. The parsing is protobuf-net.Reflection's; its descriptor types share names with
/// Google.Protobuf's, so it is reached through the <c>ProtobufNet</c> extern alias and its result crosses over as
/// serialized bytes.
/// </summary>
public static class ProtoFileCompiler
{
    /// <summary>The source named for files protobuf-net.Reflection supplies itself (google/protobuf/*.proto, google/api/*.proto...).</summary>
    public const string BuiltInSource = "built in";

    // protobuf-net.Reflection's (internal) ErrorCode.ImportNotFound.
    private const int ImportNotFound = 4;

    /// <summary>
    /// Parses <paramref name="files"/> and everything they import. Imports resolve, as protoc resolves them, against
    /// <paramref name="importPaths"/> and then the directory of each given file; <c>google/protobuf/*.proto</c>
    /// resolve even without copies on disk.
    /// </summary>
    /// <param name="files">The .proto files to parse.</param>
    /// <param name="importPaths">The directories imports are searched in, in order.</param>
    /// <returns>The given files and their imports, each with the path it was read from.</returns>
    /// <exception cref="PluginException">
    /// <see cref="PluginErrorCode.DescriptorInvalid"/>: a file is missing or unreadable, or has errors; the message lists
    /// every error as <c>file:line:column: text</c>.
    /// </exception>
    public static IReadOnlyList<DescriptorFile> Compile(IReadOnlyList<string> files, IReadOnlyList<string> importPaths)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(importPaths);
        if (files.Count == 0)
        {
            return Array.Empty<DescriptorFile>();
        }

        var layout = ProtoInputLayout.Create(files, importPaths);
        var sources = new ProtoSourceFiles();
        var errors = new List<(string File, int Line, int Column, string Text)>();
        var result = new List<DescriptorFile>();
        var seen = new HashSet<(string, string)>();
        foreach (var batch in layout.Batches)
        {
            foreach (var file in CompileBatch(batch, layout, sources, errors))
            {
                if (seen.Add((file.Proto.Name, file.Source)))
                {
                    result.Add(file);
                }
            }
        }

        if (errors.Count > 0)
        {
            var lines = errors.Distinct()
                .OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column)
                .Select(e => $"{e.File}:{e.Line}:{e.Column}: {e.Text}")
                .ToList();
            throw new PluginException(
                PluginErrorCode.DescriptorInvalid,
                $"The .proto files have {lines.Count} error(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", lines));
        }

        return result;
    }

    private static List<DescriptorFile> CompileBatch(
        IReadOnlyList<ProtoInput> batch, ProtoInputLayout layout, ProtoSourceFiles sources, List<(string, int, int, string)> errors)
    {
        var set = new ProtobufNetReflection.FileDescriptorSet { FileSystem = sources };
        foreach (string path in layout.ImportPaths)
        {
            set.AddImportPath(path);
        }

        try
        {
            foreach (var input in batch)
            {
                // The given text is parsed, not whatever an earlier import path holds under the same name.
                set.Add(input.Name, true, new StringReader(sources.Read(input.FullPath)));
            }

            set.Process();
        }
        catch (Exception e) when (e is not (PluginException or OutOfMemoryException))
        {
            // protobuf-net.Reflection reports what it understands as errors; anything it throws is still about the input.
            throw new PluginException(
                PluginErrorCode.DescriptorInvalid,
                $"The .proto file(s) {string.Join(", ", batch.Select(i => $"'{i.FullPath}'"))} could not be parsed: {e.Message}",
                e);
        }

        var found = set.GetErrors().Where(e => e.IsError).ToList();
        foreach (var error in found)
        {
            string file = PathOf(error.File, batch, layout) ?? error.File;
            string text = error.ErrorNumber == ImportNotFound
                ? $"import \"{error.Text}\" was not found in the import paths ({string.Join(", ", layout.ImportPaths)})"
                : error.Message;
            errors.Add((file, error.LineNumber, error.ColumnNumber, text));
        }

        if (found.Count > 0)
        {
            return new List<DescriptorFile>();
        }

        using var stream = new MemoryStream();
        set.Serialize(ProtobufNetReflection.FileDescriptorSet.Serializer, stream, includeImports: true);
        var parsed = FileDescriptorSet.Parser.ParseFrom(stream.ToArray());
        var result = new List<DescriptorFile>();
        foreach (var proto in parsed.File)
        {
            string? path = PathOf(proto.Name, batch, layout);
            if (path is not null && sources.Texts.TryGetValue(path, out string? text))
            {
                proto.SourceCodeInfo = TryBuildSourceInfo(text, proto);
            }

            result.Add(path is null
                ? new DescriptorFile(proto, BuiltInSource, DescriptorSourceKind.BuiltIn)
                : new DescriptorFile(proto, path, DescriptorSourceKind.ProtoFile));
        }

        return result;
    }

    /// <summary>Comments are a nicety: text the scanner trips over gives a file without descriptions, not a failure.</summary>
    private static SourceCodeInfo? TryBuildSourceInfo(string text, FileDescriptorProto proto)
    {
        try
        {
            return SourceInfoBuilder.Build(text, proto);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Where the file with this import name was read from; null for protobuf-net's built-in files.</summary>
    private static string? PathOf(string name, IReadOnlyList<ProtoInput> batch, ProtoInputLayout layout) =>
        batch.FirstOrDefault(i => i.Name == name)?.FullPath ?? layout.Locate(name);
}
