using System.Reflection;
using System.Runtime.Loader;

namespace RpcPlugin;

/// <summary>
/// The module's own assembly load context. The cmdlets and their dependencies (gRPC, Google.Protobuf) load here,
/// so a different version of those libraries loaded by another module into the default context cannot break us,
/// and ours cannot break it. Only this assembly lives in the default context, so the types scripts name have one
/// identity everywhere. Infrastructure: scripts do not use this type.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private const string CmdletAssemblyName = "RpcPlugin";
    private static readonly object Gate = new();
    private static ModuleLoadContext? instance;

    private readonly string[] directories;
    private readonly Assembly sharedAssembly;

    private ModuleLoadContext(string[] directories)
        : base("RpcPlugin", isCollectible: false)
    {
        this.directories = directories;
        sharedAssembly = typeof(ModuleLoadContext).Assembly;
        CmdletAssembly = LoadFromAssemblyPath(Find(CmdletAssemblyName)
            ?? throw new FileNotFoundException($"'{CmdletAssemblyName}.dll' is in none of: {string.Join(", ", directories)}."));
    }

    /// <summary>The assembly holding the cmdlets, loaded in this context.</summary>
    public Assembly CmdletAssembly { get; }

    /// <summary>
    /// Creates the context on first use (once per process: every runspace shares it) and returns the cmdlet
    /// assembly for <c>Import-Module -Assembly</c>. Assemblies load from the folder this assembly came from.
    /// </summary>
    public static Assembly Initialize() => Initialize(null);

    /// <summary>
    /// As <see cref="Initialize()"/>, and an assembly missing from this assembly's folder loads from
    /// <paramref name="fallbackDirectory"/>: the module's IL folder, when this assembly came from a ReadyToRun
    /// folder that holds precompiled copies of only some of them.
    /// </summary>
    /// <param name="fallbackDirectory">The folder probed second; null or the same folder: none.</param>
    public static Assembly Initialize(string? fallbackDirectory)
    {
        lock (Gate)
        {
            if (instance is null)
            {
                string location = typeof(ModuleLoadContext).Assembly.Location;
                string directory = Path.GetDirectoryName(location)
                    ?? throw new InvalidOperationException($"Cannot tell the folder of '{location}'.");
                string[] directories = string.IsNullOrEmpty(fallbackDirectory) || SameFolder(directory, fallbackDirectory)
                    ? [directory]
                    : [directory, Path.GetFullPath(fallbackDirectory)];
                instance = new ModuleLoadContext(directories);
            }

            return instance.CmdletAssembly;
        }
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (AssemblyName.ReferenceMatchesDefinition(sharedAssembly.GetName(), assemblyName))
        {
            return sharedAssembly;
        }

        // Our private copies win; anything we do not ship (System.Management.Automation, the framework) falls
        // back to the default context by returning null.
        string? path = assemblyName.Name is null ? null : Find(assemblyName.Name);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    private string? Find(string name)
    {
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, name + ".dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
