using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using RpcPlugin.Output;

namespace RpcPlugin.Calls;

/// <summary>
/// Write-Progress for a long stream: nothing for a stream that ends within a second (most calls), then the counts
/// of messages sent and received and the rate, at most four times a second. Call only on the pipeline thread.
/// </summary>
internal sealed class StreamProgress
{
    private static readonly long QuietTicks = Stopwatch.Frequency;
    private static readonly long IntervalTicks = Stopwatch.Frequency / 4;

    private readonly Cmdlet cmdlet;
    private readonly ProgressActivity activity;
    private readonly long started;
    private long nextUpdate;
    private long sent;
    private long received;
    private bool shown;

    public StreamProgress(Cmdlet cmdlet, string activity)
    {
        this.cmdlet = cmdlet;
        this.activity = new ProgressActivity(activity);
        started = Stopwatch.GetTimestamp();
        nextUpdate = started + QuietTicks;
    }

    /// <summary>Counts a request written to the stream.</summary>
    public void Sent()
    {
        sent++;
        Tick();
    }

    /// <summary>Counts a response read from the stream.</summary>
    public void Received()
    {
        received++;
        Tick();
    }

    /// <summary>Clears the progress bar, if one was shown.</summary>
    public void Complete()
    {
        if (!shown)
        {
            return;
        }

        shown = false;
        activity.Complete(cmdlet, "Done");
    }

    private void Tick()
    {
        long now = Stopwatch.GetTimestamp();
        if (now < nextUpdate)
        {
            return;
        }

        nextUpdate = now + IntervalTicks;
        double seconds = (double)(now - started) / Stopwatch.Frequency;
        shown = true;
        cmdlet.WriteProgress(activity.Update(Describe(seconds)));
    }

    private string Describe(double seconds)
    {
        string Count(long n, string what) => string.Format(CultureInfo.CurrentCulture, "{0:N0} {1} ({2:N0}/s)", n, what, n / seconds);
        return (sent, received) switch
        {
            (0, _) => Count(received, "received"),
            (_, 0) => Count(sent, "sent"),
            _ => $"{Count(sent, "sent")}, {Count(received, "received")}",
        };
    }
}
