using System.Threading;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// crash-after:&lt;n&gt; — counts test-service calls and streamed replies, and kills the process the way a Go
/// panic does (message on stderr, exit code 2, no cleanup) once the count passes n.
/// </summary>
internal sealed class CrashCounter(int? limit)
{
    private int _count;

    /// <summary>Counts one event; does not return if it is one too many.</summary>
    public void Tick()
    {
        if (limit is { } n && Interlocked.Increment(ref _count) > n)
        {
            RawConsole.Write(RawConsole.Stderr, $"panic: crash-after:{n} reached\n");
            HardExit.Now(2);
        }
    }
}
