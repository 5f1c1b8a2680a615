namespace RpcPlugin.Core.Sessions;

/// <summary>
/// How soon a stop under way must be over. The first stop sets it; a later one may only hurry it: an earlier end
/// of the graceful wait (a shorter timeout), or a kill at once (-Force, or the first caller's cancellation). Every
/// caller shares the one stop, so a stop already running must not hold a more urgent one to its own pace.
/// </summary>
internal sealed class StopUrgency : IDisposable
{
    // CancelAfter takes at most int.MaxValue milliseconds; a longer wait is as good as for ever.
    private static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    private readonly object gate = new();
    private readonly CancellationTokenSource now = new();
    private readonly CancellationTokenSource due;
    private DateTime deadline;
    private TimeSpan shortest;
    private bool disposed;

    public StopUrgency(TimeSpan timeout)
    {
        due = CancellationTokenSource.CreateLinkedTokenSource(now.Token);
        deadline = DateTime.UtcNow + Clamp(timeout);
        shortest = timeout;
        due.CancelAfter(Clamp(timeout));
    }

    /// <summary>Cancelled when the process must be killed at once, skipping every polite wait.</summary>
    public CancellationToken Now => now.Token;

    /// <summary>Cancelled when the graceful wait is over (the earliest deadline any caller gave), or with <see cref="Now"/>.</summary>
    public CancellationToken Due => due.Token;

    /// <summary>The earliest deadline any caller gave.</summary>
    public DateTime Deadline
    {
        get
        {
            lock (gate)
            {
                return deadline;
            }
        }
    }

    /// <summary>The shortest timeout any caller gave (it also bounds the wait after SIGTERM).</summary>
    public TimeSpan ShortestTimeout
    {
        get
        {
            lock (gate)
            {
                return shortest;
            }
        }
    }

    /// <summary>Ends the graceful wait no later than <paramref name="timeout"/> from now; never later than it was.</summary>
    public void Within(TimeSpan timeout)
    {
        lock (gate)
        {
            shortest = timeout < shortest ? timeout : shortest;
            DateTime proposed = DateTime.UtcNow + Clamp(timeout);
            if (disposed || proposed >= deadline)
            {
                return;
            }

            deadline = proposed;
            due.CancelAfter(Clamp(timeout));
        }
    }

    /// <summary>Kill now.</summary>
    public void Immediately()
    {
        lock (gate)
        {
            if (!disposed)
            {
                now.Cancel();
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            due.Dispose();
            now.Dispose();
        }
    }

    private static TimeSpan Clamp(TimeSpan timeout) =>
        timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout > LongestWait ? LongestWait : timeout;
}
