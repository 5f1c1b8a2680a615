using Google.Protobuf.Reflection;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// Every descriptor a session knows, from its user sources (.proto files, descriptor sets, which win) and server
/// reflection (which fills in what they lack), with the well-known types from Google.Protobuf. Immutable once
/// built, so one pool can serve concurrent calls; build it once per session and keep it.
/// </summary>
public sealed class DescriptorPool
{
    private readonly TypeIndex types = new();
    private readonly Dictionary<string, ServiceDescriptor> services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DescriptorOrigin> origins = new(StringComparer.Ordinal);

    internal DescriptorPool(IReadOnlyList<(FileDescriptor File, DescriptorOrigin Origin)> files, IReadOnlyList<string> warnings, IReadOnlyCollection<string>? served = null)
    {
        // The well-known files are not indexed here: WellKnownFiles builds each on first use and wins every lookup.
        foreach (var (file, origin) in files)
        {
            Index(file, origin);
        }

        Files = files.Select(f => f.File).ToList();
        Services = services.Values
            .Where(s => served is null || served.Contains(s.FullName))
            .OrderBy(s => s.FullName, StringComparer.Ordinal)
            .ToList();
        Warnings = warnings.ToList();
        TypeResolver = ResolveTypeUrl;
    }

    /// <summary>A pool with only the well-known types (a plugin without reflection, and no user sources).</summary>
    public static DescriptorPool Empty { get; } = new(Array.Empty<(FileDescriptor, DescriptorOrigin)>(), Array.Empty<string>());

    /// <summary>The user and reflected files, each after the files it imports (the built-in well-known files are not listed).</summary>
    public IReadOnlyList<FileDescriptor> Files { get; }

    /// <summary>
    /// The services the plugin serves, internal go-plugin ones included, in full-name order: those server reflection
    /// listed when it answered (a file may define more services than the server offers, e.g. one per protocol
    /// version), else every service of the user's files. <see cref="FindService"/> still finds the others.
    /// </summary>
    public IReadOnlyList<ServiceDescriptor> Services { get; }

    /// <summary>Reflected files that were left out, and why (an import the server did not provide, a file that does not link).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Resolves a <c>google.protobuf.Any</c> type URL to its message (see <see cref="ResolveTypeUrl"/>).</summary>
    public Func<string, MessageDescriptor?> TypeResolver { get; }

    /// <summary>
    /// Builds the pool. User files win; reflected files only add symbols the user files lack. A symbol that two
    /// user sources define differently is an error naming both; identical duplicates are fine.
    /// </summary>
    /// <param name="userFiles">From <see cref="ProtoFileCompiler"/> and <see cref="DescriptorSetLoader"/>, in priority order.</param>
    /// <param name="reflectedFiles">From <see cref="ServerReflectionClient"/>, or null.</param>
    /// <param name="servedServices">The services server reflection listed, which become <see cref="Services"/>; null for all.</param>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.DescriptorInvalid"/> for conflicts, missing imports and invalid user files.</exception>
    public static DescriptorPool Build(IEnumerable<DescriptorFile> userFiles, IEnumerable<FileDescriptorProto>? reflectedFiles = null, IReadOnlyCollection<string>? servedServices = null)
    {
        ArgumentNullException.ThrowIfNull(userFiles);
        return DescriptorPoolBuilder.Build(userFiles, reflectedFiles, servedServices);
    }

    /// <summary>The message with this full name (<c>pkg.Outer.Inner</c>, a leading dot allowed), or null.</summary>
    public MessageDescriptor? FindMessage(string fullName)
    {
        string name = Trim(fullName);
        return WellKnownFiles.FindMessage(name) ?? types.Messages.GetValueOrDefault(name);
    }

    /// <summary>The enum with this full name, or null.</summary>
    public EnumDescriptor? FindEnum(string fullName)
    {
        string name = Trim(fullName);
        return WellKnownFiles.FindEnum(name) ?? types.Enums.GetValueOrDefault(name);
    }

    /// <summary>The service with this full name (<c>pkg.Service</c>), or null.</summary>
    public ServiceDescriptor? FindService(string fullName) => services.GetValueOrDefault(Trim(fullName));

    /// <summary>
    /// The message a <c>google.protobuf.Any</c> type URL names: the part after the last '/'
    /// (<c>type.googleapis.com/pkg.Msg</c>, or any other prefix); a bare name works too. Null when unknown.
    /// </summary>
    public MessageDescriptor? ResolveTypeUrl(string typeUrl)
    {
        ArgumentNullException.ThrowIfNull(typeUrl);
        return FindMessage(typeUrl[(typeUrl.LastIndexOf('/') + 1)..]);
    }

    /// <summary>The description of a message, field, enum, enum value, service, method or oneof from its source's comments (leading, then trailing); null when there are none.</summary>
    public string? GetComments(IDescriptor descriptor) => DescriptorComments.Of(descriptor);

    /// <summary>Which file, from which source, defined a descriptor of this pool.</summary>
    public DescriptorOrigin GetOrigin(IDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var file = descriptor as FileDescriptor ?? descriptor.File;
        return origins.TryGetValue(file.Name, out var origin) ? origin
            : WellKnownFiles.Contains(file.Name) ? new DescriptorOrigin(file.Name, "Google.Protobuf", DescriptorSourceKind.BuiltIn)
            : new DescriptorOrigin(file.Name, "unknown", DescriptorSourceKind.Reflection);
    }

    private static string Trim(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return fullName.StartsWith('.') ? fullName[1..] : fullName;
    }

    private void Index(FileDescriptor file, DescriptorOrigin origin)
    {
        origins[file.Name] = origin;
        types.Add(file);
        foreach (var service in file.Services)
        {
            services.TryAdd(service.FullName, service);
        }
    }
}
