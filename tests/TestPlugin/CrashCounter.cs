using System.Text;
using System.Threading;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// crash-after:&lt;n&gt; — counts test-service calls and streamed replies, and kills the process the way a Go
/// panic does (message on stderr, exit code 2, no cleanup) once the count passes n, right after a burst of log lines.
/// </summary>
internal sealed class CrashCounter(int? limit)
{
    private int _count;

    /// <summary>Counts one event; does not return if it is one too many.</summary>
    public void Tick()
    {
        if (limit is { } n && Interlocked.Increment(ref _count) > n)
        {
            // Down the way a busy plugin goes: a burst of log lines, then the panic. The burst is bigger than a
            // pipe's buffer, so the process is gone while its last lines still wait to be read: whatever reports
            // the exit must not lose them.
            var lastWords = new StringBuilder();
            for (int step = 0; step < 2000; step++)
            {
                lastWords.Append("{\"@level\":\"debug\",\"@message\":\"winding down\",\"step\":").Append(step).Append("}\n");
            }

            lastWords.Append("panic: crash-after:").Append(n).Append(" reached\n");
            RawConsole.Write(RawConsole.Stderr, lastWords.ToString());
            HardExit.Now(2);
        }
    }
}
