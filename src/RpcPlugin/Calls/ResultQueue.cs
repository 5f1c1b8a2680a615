using System;
using System.Threading;
using System.Threading.Channels;

namespace RpcPlugin.Calls;

/// <summary>
/// Carries what background readers produce to the pipeline thread, which alone may write: results ready to write,
/// and actions (a plugin log line to show). Bounded, so a stream faster than the pipeline slows down instead of
/// filling memory. The pipeline thread takes everything available at each wake-up, so a fast stream costs one
/// hand-off per batch rather than per message.
/// </summary>
internal sealed class ResultQueue : IDisposable
{
    private const int Capacity = 4096;

    private readonly Channel<object> items = Channel.CreateBounded<object>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Adds a result (waits while the queue is full).</summary>
    public void Add(object result, CancellationToken cancellationToken)
    {
        if (!items.Writer.TryWrite(result))
        {
            items.Writer.WriteAsync(result, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Adds an action to run on the pipeline thread; dropped when the queue is full or done (it is only a log line).</summary>
    public void Post(Action action) => items.Writer.TryWrite(action);

    /// <summary>No more items will come.</summary>
    public void Complete() => items.Writer.TryComplete();

    /// <summary>Writes everything queued so far, without waiting.</summary>
    public void DrainAvailable(Action<object> write)
    {
        while (items.Reader.TryRead(out object? item))
        {
            Dispatch(item, write);
        }
    }

    /// <summary>Writes items as they come until <see cref="Complete"/> and the queue is empty.</summary>
    public void DrainUntilComplete(Action<object> write, CancellationToken cancellationToken)
    {
        ChannelReader<object> reader = items.Reader;
        while (true)
        {
            DrainAvailable(write);
            var waiting = reader.WaitToReadAsync(cancellationToken);
            bool more = waiting.IsCompletedSuccessfully ? waiting.Result : waiting.AsTask().GetAwaiter().GetResult();
            if (!more)
            {
                return;
            }
        }
    }

    public void Dispose() => items.Writer.TryComplete();

    private static void Dispatch(object item, Action<object> write)
    {
        if (item is Action action)
        {
            action();
        }
        else
        {
            write(item);
        }
    }
}
