using System.Management.Automation;
using RpcPlugin.Bases;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Starts a go-plugin gRPC plugin and connects to it.</para>
/// <para type="description">Launches the executable, checks its handshake, sets up TLS (AutoMTLS by default) and
/// returns a session for the other RpcPlugin cmdlets. Start failures are terminating errors.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "RpcPlugin", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(RpcPluginSession))]
public sealed class StartRpcPluginCommand : StartPluginCmdletBase
{
    /// <summary>The plugin executable: a path (relative to the current location) or a name on PATH.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [Alias("Path")]
    public string FilePath { get; set; } = string.Empty;

    /// <summary>Arguments for the plugin, passed as they are (no shell is involved).</summary>
    [Parameter(Position = 1)]
    [Alias("Args")]
    public string[]? ArgumentList { get; set; }

    /// <inheritdoc />
    protected override string PluginPath => FilePath;

    /// <inheritdoc />
    protected override string[]? PluginArguments => ArgumentList;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!ShouldProcess(FilePath, "Start plugin"))
        {
            return;
        }

        try
        {
            WriteObject(StartSession().Info);
        }
        catch (System.Exception e) when (e is PluginException or System.ArgumentException)
        {
            ThrowFailure(e, FilePath);
        }
    }
}
