using Grpc.Core;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Settings;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Terraform;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Core.Sessions;

/// <summary>
/// A session's descriptors: the user's .proto files and descriptor sets, read before the plugin starts (so a typo
/// starts nothing), and server reflection, fetched once (in the background right after the start, or on first
/// use) and cached. A failed fetch is not cached, so a later call tries again.
/// </summary>
internal sealed class SessionDescriptors
{
    /// <summary>How long reading a session's services waits for descriptors still loading.</summary>
    public static readonly TimeSpan ServicesWait = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<DescriptorFile> userFiles;
    private readonly bool useReflection;
    private readonly object gate = new();
    private Task<DescriptorPool>? loading;

    // The visible service names of the loaded pool, computed once; null inside when they cannot be known.
    private Tuple<DescriptorPool, IReadOnlyList<string>?>? names;

    private SessionDescriptors(IReadOnlyList<DescriptorFile> userFiles, bool useReflection, DescriptorPool? complete)
    {
        this.userFiles = userFiles;
        this.useReflection = useReflection;
        loading = complete is null ? null : Task.FromResult(complete);
    }

    /// <summary>Reads and checks the user's sources.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.DescriptorInvalid"/> with file:line details.</exception>
    public static SessionDescriptors Prepare(DescriptorOptions options)
    {
        var files = new List<DescriptorFile>();
        if (options.ProtoFiles.Count > 0)
        {
            files.AddRange(ProtoFileCompiler.Compile(options.ProtoFiles, options.ImportPaths));
        }

        foreach (string set in options.DescriptorSets)
        {
            files.AddRange(DescriptorSetLoader.Load(set));
        }

        // Linked now, so a missing import or a conflict fails the start; without reflection it is the whole pool.
        DescriptorPool? pool = files.Count > 0 ? DescriptorPool.Build(files) : null;
        return new SessionDescriptors(files, options.UseReflection, options.UseReflection ? null : pool);
    }

    /// <summary>
    /// The descriptors of a Terraform provider session: the module's own tfplugin descriptors of the negotiated
    /// protocol version (providers serve no reflection), under the user's files, which win: a newer tfplugin6.proto
    /// given with -ProtoFile replaces the built-in one. Listed services: the provider service and the user's.
    /// </summary>
    public SessionDescriptors ForTerraform(int protocolVersion)
    {
        if (userFiles.Count == 0)
        {
            return new SessionDescriptors(userFiles, false, TerraformProtocol.GetPool(protocolVersion)); // shared, built once per process
        }

        var userPackages = new HashSet<string>(userFiles.Select(f => f.Proto.Package), StringComparer.Ordinal);
        var served = new HashSet<string>(userFiles.SelectMany(f => f.Proto.Service.Select(s => string.IsNullOrEmpty(f.Proto.Package) ? s.Name : $"{f.Proto.Package}.{s.Name}")), StringComparer.Ordinal)
        {
            TerraformProtocol.ProviderService(protocolVersion),
        };
        var files = userFiles.Concat(TerraformProtocol.Descriptors(protocolVersion).Where(f => !userPackages.Contains(f.Proto.Package))).ToList();
        return new SessionDescriptors(files, false, DescriptorPool.Build(files, null, served));
    }

    /// <summary>The pool if it has already loaded, without waiting.</summary>
    public bool TryGetLoaded([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DescriptorPool? pool)
    {
        // Every command asks: a volatile read instead of the lock, which only writers need.
        Task<DescriptorPool>? current = Volatile.Read(ref loading);
        pool = current is { IsCompletedSuccessfully: true } ? current.Result : null;
        return pool is not null;
    }

    /// <summary>
    /// The names of the services the plugin serves, internal ones left out, waiting up to <see cref="ServicesWait"/>
    /// for a load under way (or started here, given an <paramref name="invoker"/>: null for a closed session). Null
    /// when they cannot be known: the load failed or took too long, the session closed first, or the plugin has no
    /// reflection and no descriptors were given (an empty list would claim it serves nothing).
    /// </summary>
    public IReadOnlyList<string>? ServiceNames(Func<CallInvoker>? invoker, CancellationToken lifetime)
    {
        if (!TryGetLoaded(out DescriptorPool? pool))
        {
            if (invoker is null)
            {
                return null;
            }

            try
            {
                Task<DescriptorPool> load = GetAsync(invoker, lifetime, CancellationToken.None);
                if (!load.Wait(ServicesWait))
                {
                    return null;
                }

                pool = load.Result;
            }
            catch (AggregateException)
            {
                return null;
            }
            catch (PluginException)
            {
                return null; // closed meanwhile
            }
        }

        Tuple<DescriptorPool, IReadOnlyList<string>?>? known = Volatile.Read(ref names);
        if (known is null || !ReferenceEquals(known.Item1, pool))
        {
            IReadOnlyList<string>? visible = pool.Services.Count == 0 && userFiles.Count == 0
                ? null // no reflection and nothing given: unknown, not "none"
                : pool.Services.Where(s => !InternalServices.IsInternal(s.FullName)).Select(s => s.FullName).ToArray();
            known = Tuple.Create(pool, visible);
            Volatile.Write(ref names, known);
        }

        return known.Item2;
    }

    /// <summary>Waits (bounded) for a load under way to end by itself; a stop calls this before it cancels.</summary>
    public async Task LetLoadFinishAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        Task<DescriptorPool>? current = Volatile.Read(ref loading);
        if (current is null || current.IsCompleted || wait <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await current.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or PluginException)
        {
            // Its outcome is not the stop's business; a load still running is cancelled next.
        }
    }

    /// <summary>The pool, loading it on first use; callers' cancellation ends their wait, not the shared load.</summary>
    public Task<DescriptorPool> GetAsync(Func<CallInvoker> invoker, CancellationToken lifetime, CancellationToken cancellationToken)
    {
        Task<DescriptorPool> task;
        lock (gate)
        {
            if (loading is null || loading.IsFaulted || loading.IsCanceled)
            {
                loading = LoadAsync(invoker, lifetime);
            }

            task = loading;
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<DescriptorPool> LoadAsync(Func<CallInvoker> invoker, CancellationToken lifetime)
    {
        await Task.Yield();
        IReadOnlyList<Google.Protobuf.Reflection.FileDescriptorProto> reflected = Array.Empty<Google.Protobuf.Reflection.FileDescriptorProto>();
        IReadOnlyCollection<string>? served = null;
        if (useReflection)
        {
            ReflectionResult result = await ServerReflectionClient.FetchAsync(invoker(), lifetime).ConfigureAwait(false);
            reflected = result.Files;
            if (result.IsSupported)
            {
                // What the server lists is what it serves: a file may define more (go-plugin's versioned plugins).
                served = new HashSet<string>(result.Services, StringComparer.Ordinal);
            }
        }

        return DescriptorPool.Build(userFiles, reflected, served);
    }
}
