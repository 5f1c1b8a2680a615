using System.Management.Automation;
using RpcPlugin.Arguments;
using RpcPlugin.Bases;
using RpcPlugin.Completers;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Lists the gRPC services a plugin serves.</para>
/// <para type="description">Reads the session's descriptors (server reflection, -ProtoFile, -DescriptorSet). go-plugin's
/// own services (GRPCController, GRPCStdio, GRPCBroker), health and reflection are hidden unless -IncludeInternal.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "RpcPluginService", DefaultParameterSetName = BySession)]
[OutputType(typeof(RpcServiceInfo))]
public sealed class GetRpcPluginServiceCommand : DescribeCmdletBase
{
    /// <summary>Service names to list; wildcards allowed, matched against the full and the short name.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "*";

    /// <inheritdoc />
    protected override void ProcessRecord() => WithSession(session =>
    {
        var pattern = WildcardArgument.Pattern(Name, "-Name");
        var services = ServiceCatalog.Describe(LoadDescriptors(session), session.Name, IncludeInternal, session.Info)
            .Where(s => ServiceMatches(pattern, s.Name))
            .ToList();
        WriteMatches(services, Name, $"The plugin '{session.Name}' serves no service named '{Name}'.");
    });
}
