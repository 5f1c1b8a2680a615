using System.Collections.Concurrent;

namespace RpcPlugin.Bases;

/// <summary>
/// The one way a cmdlet waits on its pipeline thread, the only thread that may write. Background work hands over
/// results to write (bounded: a producer faster than the pipeline waits instead of filling memory) and actions to
/// run (a plugin log line to show, progress); <see cref="WaitFor"/> carries them out until a task completes.
/// Everything queued at a wake-up is taken at once, so a fast stream costs one hand-off per batch. Not disposable:
/// a call Ctrl+C abandoned may still signal it, and it holds no handle (its waits spin, then use a monitor).
/// </summary>
internal sealed class PipelineQueue
{
    private const int Capacity = 4096;

    private readonly ConcurrentQueue<object> items = new();
    private readonly ManualResetEventSlim ready = new(false);
    private readonly SemaphoreSlim room = new(Capacity, Capacity);
    private readonly Action wake;

    public PipelineQueue()
    {
        wake = ready.Set;
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

    /// <summary>Writes and runs what is queued now, without waiting. Pipeline thread only.</summary>
    public void Drain(Action<object> write)
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

        Drain(write);
    }
}
