using System.Management.Automation;
using RpcPlugin.Bases;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Sessions;
using RpcPlugin.State;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Starts a plugin, runs a script block with it, and always stops it.</para>
/// <para type="description">The scoped form of Start-RpcPlugin and Stop-RpcPlugin: the plugin is stopped when the
/// script block ends, throws, or is interrupted with Ctrl+C. The session is passed as $_ and as the first argument;
/// the script block's output is this command's output.</para>
/// </summary>
[Cmdlet(VerbsOther.Use, "RpcPlugin")]
public sealed class UseRpcPluginCommand : StartPluginCmdletBase
{
    /// <summary>The plugin executable: a path (relative to the current location) or a name on PATH.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [Alias("Path")]
    public string FilePath { get; set; } = string.Empty;

    /// <summary>What to do with the session, which arrives as $_ and $args[0].</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public ScriptBlock ScriptBlock { get; set; } = ScriptBlock.Create(string.Empty);

    /// <summary>Arguments for the plugin, passed as they are (no shell is involved).</summary>
    [Parameter]
    [Alias("Args")]
    public string[]? ArgumentList { get; set; }

    /// <inheritdoc />
    protected override string PluginPath => FilePath;

    /// <inheritdoc />
    protected override string[]? PluginArguments => ArgumentList;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        PluginSession session;
        try
        {
            session = StartSession();
        }
        catch (Exception e) when (e is PluginException or ArgumentException)
        {
            ThrowFailure(e, FilePath);
            return;
        }

        // ForEach-Object sets $_ and our wrapper passes the session as $args[0]; a steppable pipeline tied to this
        // command streams the block's output, errors and other records straight into ours as they come. The two
        // variables live in the caller's scope only while the block runs (unique names, so Use-RpcPlugin nests).
        string suffix = Guid.NewGuid().ToString("N");
        string blockVariable = "__rpcPluginUseBlock" + suffix;
        string sessionVariable = "__rpcPluginUseSession" + suffix;
        try
        {
            SessionState.PSVariable.Set(blockVariable, ScriptBlock);
            SessionState.PSVariable.Set(sessionVariable, session.Info);
            var wrapper = ScriptBlock.Create($"ForEach-Object -InputObject ${sessionVariable} -Process {{ & ${blockVariable} $_ }}");
            SteppablePipeline pipeline = wrapper.GetSteppablePipeline();
            pipeline.Begin(this);
            pipeline.Process();
            pipeline.End();
        }
        finally
        {
            SessionState.PSVariable.Remove(blockVariable);
            SessionState.PSVariable.Remove(sessionVariable);

            // Never cancelled by Ctrl+C: the plugin must be stopped whatever happened above.
            SessionRegistry.Forget(session);
            session.StopAsync().GetAwaiter().GetResult();
        }
    }
}
