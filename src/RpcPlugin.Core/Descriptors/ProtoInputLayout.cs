using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// Works out, as protoc does, the import name of every given .proto file (its path relative to the first import
/// path that contains it, else its file name) and the import paths imports are searched in: the given ones, then
/// the directory of each given file.
/// </summary>
internal sealed class ProtoInputLayout
{
    private ProtoInputLayout(IReadOnlyList<string> importPaths, IReadOnlyList<IReadOnlyList<ProtoInput>> batches)
    {
        ImportPaths = importPaths;
        Batches = batches;
    }

    /// <summary>Full paths of the directories imports are searched in, in order.</summary>
    public IReadOnlyList<string> ImportPaths { get; }

    /// <summary>
    /// The inputs, in groups that each compile together. Two different files with the same import name (a/x.proto
    /// and b/x.proto, given without import paths) cannot share a compilation, so the second starts another group.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<ProtoInput>> Batches { get; }

    public static ProtoInputLayout Create(IReadOnlyList<string> files, IReadOnlyList<string> importPaths)
    {
        var fullFiles = files.Select(Path.GetFullPath).ToList();
        var missing = fullFiles.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            throw new PluginException(
                PluginErrorCode.DescriptorInvalid,
                "The .proto file was not found: " + string.Join(", ", missing.Select(m => $"'{m}'")) + ".");
        }

        var explicitPaths = importPaths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        var paths = new List<string>(explicitPaths);
        var batches = new List<List<ProtoInput>>();
        foreach (string file in fullFiles.Distinct(StringComparer.Ordinal))
        {
            string name = RelativeName(file, explicitPaths) ?? Path.GetFileName(file);
            string directory = Path.GetDirectoryName(file)!;
            if (!paths.Contains(directory, StringComparer.Ordinal))
            {
                paths.Add(directory);
            }

            var batch = batches.FirstOrDefault(b => b.All(i => i.Name != name));
            if (batch is null)
            {
                batch = new List<ProtoInput>();
                batches.Add(batch);
            }

            batch.Add(new ProtoInput(name, file));
        }

        return new ProtoInputLayout(paths, batches);
    }

    /// <summary>The file an import name resolves to, searching the import paths in order; null when none has it.</summary>
    public string? Locate(string name)
    {
        foreach (string path in ImportPaths)
        {
            string candidate = Path.GetFullPath(Path.Combine(path, name));
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? RelativeName(string file, IReadOnlyList<string> importPaths)
    {
        foreach (string path in importPaths)
        {
            string relative = Path.GetRelativePath(path, file);
            if (!Path.IsPathRooted(relative) && relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return relative.Replace(Path.DirectorySeparatorChar, '/');
            }
        }

        return null;
    }
}

/// <summary>A given .proto file: its import name and where it is.</summary>
internal sealed record ProtoInput(string Name, string FullPath);
