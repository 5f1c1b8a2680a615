using System.Management.Automation;
using RpcPlugin.Arguments;
using RpcPlugin.Bases;
using RpcPlugin.Completers;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Lists the methods a plugin serves, with their call kind and message types.</para>
/// <para type="description">Descriptions come from the comments of the .proto files, when the descriptors carry
/// them (-ProtoFile does; most reflection servers strip them).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "RpcPluginMethod", DefaultParameterSetName = BySession)]
[OutputType(typeof(RpcMethodInfo))]
public sealed class GetRpcPluginMethodCommand : DescribeCmdletBase
{
    /// <summary>Method names to list; wildcards match the method name, the full name (package.Service/Method) or Service/Method.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(MethodNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "*";

    /// <summary>Only methods of services matching this name (full or short; wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Service { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => WithSession(session =>
    {
        var name = WildcardArgument.Pattern(Name, "-Name");
        var service = Service is null ? null : WildcardArgument.Pattern(Service, "-Service");
        var methods = ServiceCatalog.Describe(LoadDescriptors(session), session.Name, IncludeInternal, session.Info)
            .Where(s => service is null || ServiceMatches(service, s.Name))
            .SelectMany(s => s.Methods)
            .Where(m => name.IsMatch(m.Name) || name.IsMatch(m.FullName) || name.IsMatch(ServiceCatalog.ShortName(m.Service) + "/" + m.Name))
            .ToList();
        WriteMatches(methods, Name, $"The plugin '{session.Name}' serves no method named '{Name}'.", "Run Get-RpcPluginMethod without a name to list them all.");
    });
}
