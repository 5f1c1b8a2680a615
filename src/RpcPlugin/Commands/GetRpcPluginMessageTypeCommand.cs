using System.Management.Automation;
using RpcPlugin.Arguments;
using RpcPlugin.Bases;
using RpcPlugin.Completers;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Describes the message and enum types of a plugin: fields with numbers, types, labels, oneofs and comments.</para>
/// <para type="description">What grpcurl's 'describe' shows, as objects: Format-List shows each type as its .proto
/// declaration would read. go-plugin's and gRPC's plumbing types and the well-known google.protobuf types are hidden
/// unless -IncludeInternal or named exactly.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "RpcPluginMessageType", DefaultParameterSetName = BySession)]
[OutputType(typeof(RpcMessageTypeInfo))]
public sealed class GetRpcPluginMessageTypeCommand : DescribeCmdletBase
{
    /// <summary>Type names to describe; wildcards match the full name (pkg.Type) or the name without its package.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TypeNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "*";

    /// <inheritdoc />
    protected override void ProcessRecord() => WithSession(session =>
    {
        bool exact = !WildcardPattern.ContainsWildcardCharacters(Name);
        var pattern = WildcardArgument.Pattern(Name.TrimStart('.'), "-Name");
        var pool = LoadDescriptors(session);

        // A name without wildcards finds any type, plumbing included: someone who names google.protobuf.Timestamp wants it.
        var types = TypeCatalog.Types(pool, IncludeInternal || exact)
            .Where(t => TypeCatalog.NamesOf(t.FullName).Any(pattern.IsMatch))
            .Select(t => TypeCatalog.Describe(pool, t, session.Name, session.Info))
            .ToList();
        WriteMatches(types, Name, $"The plugin '{session.Name}' has no message or enum type named '{Name}'.", "Run Get-RpcPluginMessageType without a name to list them all, or use a wildcard (*Request).");
    });
}
