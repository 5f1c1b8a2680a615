using System.Management.Automation;

namespace RpcPlugin.Output;

/// <summary>
/// One Write-Progress activity: an id unique in the process, so that starts and streams in several runspaces never
/// share a bar, and a new record for every update, so that hosts that keep records
/// (PowerShell.Streams.Progress) see each update as it was.
/// </summary>
internal sealed class ProgressActivity
{
    private static int lastId;
    private readonly string title;

    public ProgressActivity(string title)
    {
        this.title = title;
        Id = Interlocked.Increment(ref lastId);
    }

    public int Id { get; }

    /// <summary>A record for the current state; <paramref name="percent"/> -1 when unknown.</summary>
    public ProgressRecord Update(string status, int percent = -1) => new(Id, title, status) { PercentComplete = percent };

    /// <summary>Clears the bar. Call on the pipeline thread.</summary>
    public void Complete(Cmdlet cmdlet, string status)
    {
        try
        {
            cmdlet.WriteProgress(new ProgressRecord(Id, title, status) { RecordType = ProgressRecordType.Completed });
        }
        catch (PipelineStoppedException)
        {
            // Ctrl+C: the host clears progress itself.
        }
    }
}
