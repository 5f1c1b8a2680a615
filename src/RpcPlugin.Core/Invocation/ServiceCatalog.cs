using Google.Protobuf.Reflection;
using RpcPlugin.Core.Descriptors;

namespace RpcPlugin.Core.Invocation;

/// <summary>Describes what a session's descriptors offer, as the discovery cmdlets show it.</summary>
public static class ServiceCatalog
{
    /// <summary>The services users see, in name order (the pool's): go-plugin's and gRPC's plumbing only when asked for.</summary>
    public static IEnumerable<ServiceDescriptor> Visible(DescriptorPool pool, bool includeInternal = false) =>
        includeInternal ? pool.Services : pool.Services.Where(s => !InternalServices.IsInternal(s.FullName));

    /// <summary>The services, in name order (the pool's), internal go-plugin and gRPC services only when asked for.</summary>
    public static IReadOnlyList<RpcServiceInfo> Describe(DescriptorPool pool, string sessionName, bool includeInternal, RpcPluginSession? session = null) =>
        Visible(pool, includeInternal)
            .Select(s => new RpcServiceInfo(
                s.FullName,
                s.Methods.Select(m => Describe(pool, m, sessionName, session)).ToArray(),
                pool.GetOrigin(s).FileName, // not s.File.Name: the pool renames a second, different file of the same name
                pool.GetComments(s),
                sessionName))
            .ToList();

    /// <summary>A service's name without its package (<c>Echo</c> for <c>testplugin.Echo</c>), which users may type instead.</summary>
    public static string ShortName(string serviceFullName) => serviceFullName[(serviceFullName.LastIndexOf('.') + 1)..];

    /// <summary>Describes one method.</summary>
    public static RpcMethodInfo Describe(DescriptorPool pool, MethodDescriptor method, string sessionName, RpcPluginSession? session = null) => new(
        method.Service.FullName,
        method.Name,
        Kind(method),
        method.InputType.FullName,
        method.OutputType.FullName,
        pool.GetComments(method),
        sessionName,
        session);

    /// <summary>The call kind of a method.</summary>
    public static RpcMethodKind Kind(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => RpcMethodKind.Unary,
        (false, true) => RpcMethodKind.ServerStreaming,
        (true, false) => RpcMethodKind.ClientStreaming,
        _ => RpcMethodKind.DuplexStreaming,
    };
}
