using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// Turns user files and reflected files into one consistent set of FileDescriptors: drops copies of the
/// well-known files and identical duplicates, gives every symbol one owner (user sources first), resolves imports,
/// and builds the files in dependency order. Problems in user sources are errors; a reflected file that cannot be
/// used is left out with a warning, so one bad answer does not cost the whole session its descriptors.
/// </summary>
internal sealed class DescriptorPoolBuilder
{
    /// <summary>What reflected files are said to come from.</summary>
    public const string ReflectionSource = "server reflection";

    private readonly List<PoolCandidate> candidates = new();
    private readonly Dictionary<string, List<PoolCandidate>> byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> keys = new(StringComparer.Ordinal);
    private readonly List<string> errors = new();
    private readonly List<string> warnings = new();

    public static DescriptorPool Build(IEnumerable<DescriptorFile> userFiles, IEnumerable<FileDescriptorProto>? reflectedFiles, IReadOnlyCollection<string>? servedServices)
    {
        var builder = new DescriptorPoolBuilder();
        foreach (var file in userFiles)
        {
            builder.Add(file.Proto, new DescriptorOrigin(file.Proto.Name, file.Source, file.Kind));
        }

        foreach (var proto in reflectedFiles ?? Array.Empty<FileDescriptorProto>())
        {
            builder.Add(proto, new DescriptorOrigin(proto.Name, ReflectionSource, DescriptorSourceKind.Reflection));
        }

        var merger = new SymbolMerger(builder.errors);
        builder.candidates.ForEach(merger.Merge);
        builder.ThrowIfErrors();
        builder.ResolveDependencies();
        builder.ThrowIfErrors();
        var built = builder.BuildInOrder();
        builder.ThrowIfErrors();
        return new DescriptorPool(built, builder.warnings, servedServices);
    }

    private void Add(FileDescriptorProto proto, DescriptorOrigin origin)
    {
        if (WellKnownFiles.Contains(proto.Name))
        {
            return;
        }

        if (!byName.TryGetValue(proto.Name, out var sameName))
        {
            sameName = new List<PoolCandidate>();
            byName[proto.Name] = sameName;
        }

        var twin = sameName.FirstOrDefault(c => SameContent(c.Proto, proto));
        if (twin is not null)
        {
            // The same file twice (a .proto and a set built from it, or a shared import): keep one, with comments.
            if (twin.Proto.SourceCodeInfo is null && proto.SourceCodeInfo is not null)
            {
                twin.Proto.SourceCodeInfo = proto.SourceCodeInfo.Clone();
            }

            return;
        }

        string key = proto.Name;
        for (int n = 2; !keys.Add(key); n++)
        {
            key = $"{proto.Name}#{n}";
        }

        var candidate = new PoolCandidate(proto.Clone(), origin, key);
        sameName.Add(candidate);
        candidates.Add(candidate);
    }

    /// <summary>Equal but for SourceCodeInfo, which differs between producers (and is absent unless asked for).</summary>
    private static bool SameContent(FileDescriptorProto a, FileDescriptorProto b)
    {
        if (a.SourceCodeInfo is null && b.SourceCodeInfo is null)
        {
            return a.Equals(b);
        }

        var x = a.Clone();
        var y = b.Clone();
        x.SourceCodeInfo = null;
        y.SourceCodeInfo = null;
        return x.Equals(y);
    }

    private void ResolveDependencies()
    {
        foreach (var file in candidates)
        {
            foreach (string name in file.Proto.Dependency)
            {
                var builtIn = WellKnownFiles.Find(name);
                var dependency = builtIn is null ? Pick(name, file) : null;
                if (builtIn is null && dependency is null)
                {
                    Fail(file, file.IsUser
                        ? $"{file.Origin} imports '{name}', which none of the descriptor sources provides (give that file too, or build the set with --include_imports)."
                        : $"it imports '{name}', which the server did not provide");
                }

                file.Dependencies.Add(new PoolDependency(builtIn, dependency));
            }
        }
    }

    /// <summary>Which file an import names: one from the same source first, then user files before reflected ones (or the reverse for a reflected importer).</summary>
    private PoolCandidate? Pick(string name, PoolCandidate importer) =>
        !byName.TryGetValue(name, out var files) ? null
        : files.FirstOrDefault(f => f.Origin.Source == importer.Origin.Source)
            ?? files.FirstOrDefault(f => f.IsUser == importer.IsUser)
            ?? files.FirstOrDefault();

    private List<(FileDescriptor File, DescriptorOrigin Origin)> BuildInOrder()
    {
        var built = new Dictionary<PoolCandidate, FileDescriptor>();
        var result = new List<(FileDescriptor, DescriptorOrigin)>();
        foreach (var file in DependencyOrder())
        {
            if (file.Failure is not null)
            {
                continue;
            }

            var dependencies = new List<FileDescriptor>();
            foreach (var dependency in file.Dependencies.Concat(file.Providers.Select(p => new PoolDependency(null, p))))
            {
                var descriptor = dependency.BuiltIn ?? built.GetValueOrDefault(dependency.File!);
                if (descriptor is null)
                {
                    Fail(file, $"{file.Origin} depends on {dependency.File!.Origin}, which could not be used: {dependency.File!.Failure}");
                    break;
                }

                if (!dependencies.Contains(descriptor))
                {
                    dependencies.Add(descriptor);
                }
            }

            if (file.Failure is not null)
            {
                continue;
            }

            try
            {
                var descriptor = FileDescriptorFactory.Build(Linkable(file, dependencies), dependencies);
                built[file] = descriptor;
                result.Add((descriptor, file.Origin));
            }
            catch (Exception e) when (e is ArgumentException or DescriptorValidationException or InvalidProtocolBufferException)
            {
                Fail(file, $"{file.Origin} is not a valid descriptor: {Innermost(e).Message}");
            }
        }

        return result;
    }

    /// <summary>The file as it is built: its pool name, imports renamed to theirs, and providers as public imports.</summary>
    private static FileDescriptorProto Linkable(PoolCandidate file, List<FileDescriptor> dependencies)
    {
        var proto = file.Proto.Clone();
        proto.Name = file.Key;
        var publicNames = file.Providers.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (int i in file.Proto.PublicDependency.Where(i => i >= 0 && i < file.Dependencies.Count))
        {
            var dependency = file.Dependencies[i];
            publicNames.Add(dependency.BuiltIn?.Name ?? dependency.File!.Key);
        }

        proto.Dependency.Clear();
        proto.Dependency.AddRange(dependencies.Select(d => d.Name));
        proto.PublicDependency.Clear();
        proto.PublicDependency.AddRange(Enumerable.Range(0, proto.Dependency.Count).Where(i => publicNames.Contains(proto.Dependency[i])));

        // Weak imports are a Google-internal migration aid; their indexes would not survive the renumbering.
        proto.WeakDependency.Clear();
        return proto;
    }

    /// <summary>Files after everything they import; a user file in an import cycle is an error, a reflected one is left out.</summary>
    private List<PoolCandidate> DependencyOrder()
    {
        var order = new List<PoolCandidate>();
        var state = new Dictionary<PoolCandidate, bool>();
        foreach (var file in candidates)
        {
            Visit(file);
        }

        return order;

        void Visit(PoolCandidate file)
        {
            if (state.TryGetValue(file, out bool done))
            {
                if (!done)
                {
                    Fail(file, file.IsUser ? $"{file.Origin} is part of an import cycle." : "it is part of an import cycle");
                }

                return;
            }

            state[file] = false;
            foreach (var dependency in file.Dependencies.Select(d => d.File).Concat(file.Providers))
            {
                if (dependency is not null)
                {
                    Visit(dependency);
                }
            }

            state[file] = true;
            order.Add(file);
        }
    }

    private void Fail(PoolCandidate file, string reason)
    {
        if (file.IsUser)
        {
            errors.Add(reason);
            file.Failure ??= reason;
        }
        else if (file.Failure is null)
        {
            file.Failure = reason;
            warnings.Add($"The reflected file '{file.Origin.FileName}' was left out: {reason}.");
        }
    }

    private void ThrowIfErrors()
    {
        if (errors.Count > 0)
        {
            throw new PluginException(
                PluginErrorCode.DescriptorInvalid,
                errors.Count == 1 ? errors[0] : "The descriptors cannot be used:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors.Distinct()));
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
