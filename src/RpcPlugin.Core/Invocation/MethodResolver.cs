using Google.Protobuf.Reflection;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Invocation;

/// <summary>
/// Finds a method from what a user types: <c>package.Service/Method</c>, <c>package.Service.Method</c>,
/// <c>Service/Method</c>, or a bare <c>Method</c> when unique. Exact case first, then case-insensitive. Internal
/// services take part only when named in full or when nothing else matches.
/// </summary>
public static class MethodResolver
{
    // Scripts call the same method thousands of times: remember what each name resolved to, per service list.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<ServiceDescriptor>, System.Collections.Concurrent.ConcurrentDictionary<string, MethodDescriptor>> Resolved = new();

    /// <summary>Resolves a method name.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.MethodNotFound"/>, listing the candidates.</exception>
    public static MethodDescriptor Resolve(IReadOnlyList<ServiceDescriptor> services, string name)
    {
        var cache = Resolved.GetValue(services, _ => new(StringComparer.Ordinal));
        if (cache.TryGetValue(name, out MethodDescriptor? known))
        {
            return known;
        }

        MethodDescriptor method = Search(services, name);
        cache.TryAdd(name, method);
        return method;
    }

    private static MethodDescriptor Search(IReadOnlyList<ServiceDescriptor> services, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string trimmed = name.Trim().TrimStart('/');
        (string? service, string method) = Split(trimmed);
        var all = services.SelectMany(s => s.Methods).ToList();
        var visible = all.Where(m => !InternalServices.IsInternal(m.Service.FullName)).ToList();

        foreach (StringComparison comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
        {
            foreach (List<MethodDescriptor> pool in new[] { visible, all })
            {
                var matches = pool.Where(m => Matches(m, service, method, comparison)).ToList();
                if (matches.Count == 1)
                {
                    return matches[0];
                }

                if (matches.Count > 1)
                {
                    throw Ambiguous(name, matches);
                }
            }
        }

        throw NotFound(name, visible.Count > 0 ? visible : all, method);
    }

    /// <summary>The name users type for a method: <c>package.Service/Method</c>.</summary>
    public static string FullName(MethodDescriptor method) => method.Service.FullName + "/" + method.Name;

    private static (string? Service, string Method) Split(string name)
    {
        int slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            return (name[..slash], name[(slash + 1)..]);
        }

        int dot = name.LastIndexOf('.');
        return dot >= 0 ? (name[..dot], name[(dot + 1)..]) : (null, name);
    }

    private static bool Matches(MethodDescriptor candidate, string? service, string method, StringComparison comparison)
    {
        if (!string.Equals(candidate.Name, method, comparison))
        {
            return false;
        }

        return service is null
            || string.Equals(candidate.Service.FullName, service, comparison)
            || string.Equals(candidate.Service.Name, service, comparison);
    }

    private static PluginException Ambiguous(string name, IEnumerable<MethodDescriptor> matches) =>
        new(PluginErrorCode.MethodNotFound, $"The method name '{name}' is ambiguous: it matches {string.Join(", ", matches.Select(FullName))}.")
        {
            RecommendedAction = "Name the method with its service, as 'package.Service/Method'.",
        };

    private static PluginException NotFound(string name, IReadOnlyList<MethodDescriptor> known, string method)
    {
        var similar = known
            .Where(m => m.Name.Contains(method, StringComparison.OrdinalIgnoreCase) || method.Contains(m.Name, StringComparison.OrdinalIgnoreCase))
            .Select(FullName)
            .ToList();
        var listed = similar.Count > 0 ? similar : known.Select(FullName).Take(30).ToList();
        string candidates = listed.Count == 0
            ? $" The plugin's descriptors list no methods (does it serve reflection? otherwise pass {HostTerms.Current.DescriptorSources} to {HostTerms.Current.StartCommand})."
            : $" {(similar.Count > 0 ? "Similar" : "Known")} methods: {string.Join(", ", listed)}{(known.Count > listed.Count && similar.Count == 0 ? ", ..." : string.Empty)}.";
        return new PluginException(PluginErrorCode.MethodNotFound, $"No method matches '{name}'.{candidates}")
        {
            RecommendedAction = $"Run {HostTerms.Current.MethodsCommand} to list the methods this session knows.",
        };
    }
}
