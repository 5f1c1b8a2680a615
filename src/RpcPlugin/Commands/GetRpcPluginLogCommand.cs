using System.Management.Automation;
using RpcPlugin.Bases;
using RpcPlugin.Core.Sessions;

namespace RpcPlugin.Commands;

/// <summary>
/// <para type="synopsis">Gets what a plugin wrote to its standard error and output.</para>
/// <para type="description">Each session keeps its plugin's most recent log lines (hclog JSON parsed into level,
/// message, time, module and fields; plain lines as they are). -Wait keeps writing new lines until Ctrl+C or the
/// plugin exits.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "RpcPluginLog", DefaultParameterSetName = BySession)]
[OutputType(typeof(RpcPluginLogEntry))]
public sealed class GetRpcPluginLogCommand : RpcPluginSessionCmdlet
{
    /// <summary>Only the last N entries.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Only entries at this level or above: Trace, Debug, Info, Warn or Error.</summary>
    [Parameter]
    public RpcPluginLogLevel? Level { get; set; }

    /// <summary>Keep writing new entries as they arrive, until Ctrl+C or the plugin exits.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => WithSession(session =>
    {
        if (Wait)
        {
            Follow(session);
        }
        else
        {
            WriteEntries(session.Log.Snapshot());
        }
    });

    private void WriteEntries(IReadOnlyList<RpcPluginLogEntry> entries)
    {
        IEnumerable<RpcPluginLogEntry> selected = entries.Where(Wanted);
        if (Tail is int tail)
        {
            selected = selected.TakeLast(tail);
        }

        WriteObject(selected, enumerateCollection: true);
    }

    private void Follow(PluginSession session)
    {
        void OnEntry(RpcPluginLogEntry entry)
        {
            if (Wanted(entry))
            {
                PostLogEntry(entry);
            }
        }

        Run(async token =>
        {
            using IDisposable following = session.Log.Follow(existing => Post(() => WriteEntries(existing)), OnEntry);
            await session.Closed.WaitAsync(token).ConfigureAwait(false);
        });
        WriteVerbose($"Plugin '{session.Name}' is {session.State}: no more log entries will come.");
    }

    private bool Wanted(RpcPluginLogEntry entry) => Level is null || entry.Level >= Level;
}
