using System.Collections.Concurrent;

namespace RpcPlugin.Bases;

/// <summary>
/// The one way a cmdlet waits on its pipeline thread, the only thread that may write. Background work hands over
/// results to write (bounded: a producer faster than the pipeline waits instead of filling memory) and actions to
/// run (progress, a failure to write); <see cref="WaitFor"/> carries them out until a task completes. Plugin log
/// lines, which a plugin can write faster than any pipeline takes them and which must never slow the plugin's
/// reader, go to a lane of their own that keeps the newest (see <see cref="PostLogLine"/>).
/// Everything queued at a wake-up is taken at once, so a fast stream costs one hand-off per batch. Not disposable:
/// a call Ctrl+C abandoned may still signal it, and it holds no handle (its waits spin, then use a monitor).
/// </summary>
internal sealed class PipelineQueue
{
    private const int Capacity = 4096;

    /// <summary>Log lines waiting at most: beyond either bound the oldest give way.</summary>
    private const int LogLineCapacity = 1024;

    /// <summary>Characters of log lines waiting at most (about 2 MiB): a line can be 64 KiB long.</summary>
    private const long LogCharacterBudget = 1024 * 1024;

    /// <summary>How often a flood that goes on is reported: one warning per drain would be a flood of its own.</summary>
    private const long DropReportMilliseconds = 2000;

    private readonly ConcurrentQueue<object> items = new();
    private readonly ManualResetEventSlim ready = new(false);
    private readonly SemaphoreSlim room = new(Capacity, Capacity);
    private readonly Action wake;
    private readonly Action<long, bool> reportDropped;
    private readonly object logGate = new();
    private Queue<LogLine> logLines = new();
    private Queue<LogLine> spareLogLines = new();
    private long logCharacters;
    private long droppedLogLines;
    private bool droppedOnlyVerbose = true;
    private long lastDropReport = long.MinValue / 2;

    /// <param name="reportDropped">
    /// Says, on the pipeline thread, how many log lines gave way since it last did, and whether all of them were
    /// to be shown as Verbose (so that the report goes where they would have gone).
    /// </param>
    public PipelineQueue(Action<long, bool> reportDropped)
    {
        wake = ready.Set;
        this.reportDropped = reportDropped;
    }


    /// <summary>Adds a result to write; waits while the queue is full.</summary>
    public void Add(object result, CancellationToken cancellationToken)
    {
        room.Wait(cancellationToken);
        items.Enqueue(result);
        ready.Set();
    }

    /// <summary>Adds an action to run on the pipeline thread; never waits.</summary>
    public void Post(Action action)
    {
        items.Enqueue(action);
        ready.Set();
    }

    /// <summary>
    /// Adds a plugin log line to show; never waits. When the pipeline has fallen behind by more than the lane holds,
    /// the oldest waiting lines are dropped and counted; a drain says how many (at most every few seconds, and when
    /// a wait ends) before the lines that are left.
    /// </summary>
    public void PostLogLine(Action show, int characters, bool verbose)
    {
        lock (logGate)
        {
            logLines.Enqueue(new LogLine(show, characters, verbose));
            logCharacters += characters;
            while (logLines.Count > LogLineCapacity || (logCharacters > LogCharacterBudget && logLines.Count > 1))
            {
                LogLine dropped = logLines.Dequeue();
                logCharacters -= dropped.Characters;
                droppedLogLines++;
                droppedOnlyVerbose &= dropped.Verbose;
            }
        }

        ready.Set();
    }

    /// <summary>Writes and runs what is queued now, without waiting. Pipeline thread only.</summary>
    public void Drain(Action<object> write) => Drain(write, final: false);

    private void Drain(Action<object> write, bool final)
    {
        while (items.TryDequeue(out object? item))
        {
            if (item is Action action)
            {
                action();
            }
            else
            {
                room.Release();
                write(item);
            }
        }

        DrainLogLines(final);
    }

    private void DrainLogLines(bool final)
    {
        Queue<LogLine> batch;
        long dropped = 0;
        bool onlyVerbose = true;
        lock (logGate)
        {
            long now = Environment.TickCount64;
            if (droppedLogLines > 0 && (final || now - lastDropReport >= DropReportMilliseconds))
            {
                dropped = droppedLogLines;
                onlyVerbose = droppedOnlyVerbose;
                droppedLogLines = 0;
                droppedOnlyVerbose = true;
                lastDropReport = now;
            }

            if (logLines.Count == 0 && dropped == 0)
            {
                return;
            }

            // Swap in the spare queue: the lines are shown outside the lock, so the plugin's reader never waits on a
            // slow pipeline.
            batch = logLines;
            logLines = spareLogLines;
            logLines.Clear(); // what a failed drain (-WarningAction Stop) left in it
            spareLogLines = batch;
            logCharacters = 0;
        }

        if (dropped > 0)
        {
            reportDropped(dropped, onlyVerbose);
        }

        while (batch.TryDequeue(out LogLine line))
        {
            line.Show();
        }
    }

    /// <summary>
    /// Writes and runs what comes until <paramref name="task"/> completes, then what is left. Pipeline thread only.
    /// Does not observe the task's outcome.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first (Ctrl+C).</exception>
    public void WaitFor(Task task, Action<object> write, CancellationToken cancellationToken)
    {
        if (!task.IsCompleted)
        {
            task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(wake);
            while (true)
            {
                // Reset before draining: an item queued after the drain sets the event again, so none waits unseen.
                ready.Reset();
                Drain(write);
                if (task.IsCompleted)
                {
                    break;
                }

                ready.Wait(cancellationToken);
            }
        }

        Drain(write, final: true);
    }

    private readonly record struct LogLine(Action Show, int Characters, bool Verbose);
}
