using System.Management.Automation;
using RpcPlugin.Arguments;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Bases;

/// <summary>
/// The base of the cmdlets that describe what a session's descriptors hold (Get-RpcPluginService,
/// Get-RpcPluginMethod, Get-RpcPluginMessageType): the -IncludeInternal switch, and one way to write what a name
/// matched.
/// </summary>
public abstract class DescribeCmdletBase : RpcPluginSessionCmdlet
{
    /// <summary>
    /// Also include go-plugin's and gRPC's plumbing (GRPCController, GRPCStdio, GRPCBroker, health, reflection and
    /// their types) and the well-known google.protobuf types.
    /// </summary>
    [Parameter]
    public SwitchParameter IncludeInternal { get; set; }

    /// <summary>The session, given as -Session, not by position: the first position takes the name of what to describe.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = BySession)]
    [SessionArgument]
    [ValidateNotNull]
    public override RpcPluginSession? Session { get; set; }

    /// <summary>
    /// Writes what matched <paramref name="name"/>. A name without wildcards that matched nothing is an error (with a
    /// hint when the name is a session's); a wildcard that matched nothing is not, as with Get-ChildItem.
    /// </summary>
    private protected void WriteMatches<T>(List<T> matches, string name, string notFound, string? recommendedAction = null)
    {
        if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
        {
            var error = new PluginException(PluginErrorCode.MethodNotFound, notFound + SessionGivenAsNameHint(name)) { RecommendedAction = recommendedAction };
            WriteFailure(error, name);
        }

        WriteObject(matches, enumerateCollection: true);
    }
}
