using System;
using System.IO;
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

    private readonly string directory;
    private readonly Assembly sharedAssembly;

    private ModuleLoadContext(string directory)
        : base("RpcPlugin", isCollectible: false)
    {
        this.directory = directory;
        sharedAssembly = typeof(ModuleLoadContext).Assembly;
        CmdletAssembly = LoadFromAssemblyPath(Path.Combine(directory, CmdletAssemblyName + ".dll"));
    }

    /// <summary>The assembly holding the cmdlets, loaded in this context.</summary>
    public Assembly CmdletAssembly { get; }

    /// <summary>
    /// Creates the context on first use (once per process: every runspace shares it) and returns the cmdlet
    /// assembly for <c>Import-Module -Assembly</c>.
    /// </summary>
    public static Assembly Initialize()
    {
        lock (Gate)
        {
            if (instance is null)
            {
                string location = typeof(ModuleLoadContext).Assembly.Location;
                string directory = Path.GetDirectoryName(location)
                    ?? throw new InvalidOperationException($"Cannot tell the folder of '{location}'.");
                instance = new ModuleLoadContext(directory);
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
        string candidate = Path.Combine(directory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }
}
