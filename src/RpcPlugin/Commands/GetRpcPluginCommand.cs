using System.Management.Automation;
using RpcPlugin.Bases;
using RpcPlugin.Completers;
using RpcPlugin.Core.Sessions;
using RpcPlugin.State;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Lists the plugin sessions of this runspace.</para>
/// <para type="description">Sessions stay listed, with State Exited or Failed and their exit code, until
/// Stop-RpcPlugin removes them.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "RpcPlugin", DefaultParameterSetName = ByName)]
[OutputType(typeof(RpcPluginSession))]
public sealed class GetRpcPluginCommand : RpcPluginCmdlet
{
    private const string ByName = "Name";
    private const string ById = "Id";

    /// <summary>Session names; wildcards allowed.</summary>
    [Parameter(Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SessionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Session ids.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
    public int[] Id { get; set; } = System.Array.Empty<int>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        IReadOnlyList<PluginSession> selected = ParameterSetName == ById
            ? SessionLookup.ById(Id, (e, id) => WriteFailure(e, id))
            : Name is null ? SessionLookup.All : SessionLookup.ByName(Name, (e, name) => WriteFailure(e, name));
        WriteObject(selected.Select(s => s.Info), enumerateCollection: true);
    }
}
