namespace RpcPlugin.Core.Logs;

/// <summary>
/// A session's log: the most recent entries from the plugin's stderr, stdout and GRPCStdio, bounded both in
/// number and in characters so that a plugin flooding its output cannot grow our memory. Thread-safe.
/// </summary>
public sealed class PluginLog
{
    /// <summary>Entries kept by default.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>Characters of text kept by default (about 16 MiB of UTF-16).</summary>
    public const long DefaultCharacterBudget = 8L * 1024 * 1024;

    private const int TailLines = 20;
    private const int StderrLineQuoted = 1000;

    private readonly object gate = new();
    private readonly Queue<RpcPluginLogEntry> entries = new();
    private readonly Queue<string> stderrTail = new();
    private readonly int capacity;
    private readonly long characterBudget;
    private readonly string? sessionName;
    private long characters;
    private long total;

    /// <summary>Creates a log.</summary>
    public PluginLog(string? sessionName = null, int capacity = DefaultCapacity, long characterBudget = DefaultCharacterBudget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.sessionName = sessionName;
        this.capacity = capacity;
        this.characterBudget = characterBudget;
    }

    private Action<RpcPluginLogEntry>? entryAdded;

    /// <summary>
    /// Raised after an entry is added, in order, on the thread that read it and under the log's lock: handlers
    /// must be quick, must not block and must not throw.
    /// </summary>
    public event Action<RpcPluginLogEntry>? EntryAdded
    {
        add
        {
            lock (gate)
            {
                entryAdded += value;
            }
        }

        remove
        {
            lock (gate)
            {
                entryAdded -= value;
            }
        }
    }

    /// <summary>How many entries were ever added, including those since dropped.</summary>
    public long TotalCount
    {
        get
        {
            lock (gate)
            {
                return total;
            }
        }
    }

    /// <summary>Adds an entry, dropping the oldest ones beyond the bounds.</summary>
    public void Add(RpcPluginLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.SessionName ??= sessionName;
        lock (gate)
        {
            entries.Enqueue(entry);
            characters += entry.Line.Length;
            total++;
            while (entries.Count > capacity || (characters > characterBudget && entries.Count > 1))
            {
                characters -= entries.Dequeue().Line.Length;
            }

            if (entry.Source == RpcPluginLogSource.Stderr || entry.Source == RpcPluginLogSource.StdioStderr)
            {
                stderrTail.Enqueue(entry.Line.Length > 2000 ? entry.Line[..2000] + "..." : entry.Line);
                if (stderrTail.Count > TailLines)
                {
                    stderrTail.Dequeue();
                }
            }

            entryAdded?.Invoke(entry);
        }
    }

    /// <summary>
    /// Atomically hands the kept entries to <paramref name="existing"/> and subscribes <paramref name="handler"/> to
    /// later ones, so that a follower sees every entry exactly once and in order. Both run under the log's lock.
    /// Dispose the result to unsubscribe.
    /// </summary>
    public IDisposable Follow(Action<IReadOnlyList<RpcPluginLogEntry>> existing, Action<RpcPluginLogEntry> handler)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(handler);
        lock (gate)
        {
            existing(entries.ToArray());
            entryAdded += handler;
        }

        return new Subscription(this, handler);
    }

    /// <summary>The kept entries, oldest first.</summary>
    public IReadOnlyList<RpcPluginLogEntry> Snapshot()
    {
        lock (gate)
        {
            return entries.ToArray();
        }
    }

    /// <summary>The last lines of standard error (raw), oldest first, for error messages.</summary>
    public IReadOnlyList<string> StderrTail()
    {
        lock (gate)
        {
            return stderrTail.ToArray();
        }
    }

    private sealed class Subscription : IDisposable
    {
        private readonly PluginLog log;
        private Action<RpcPluginLogEntry>? handler;

        public Subscription(PluginLog log, Action<RpcPluginLogEntry> handler)
        {
            this.log = log;
            this.handler = handler;
        }

        public void Dispose()
        {
            Action<RpcPluginLogEntry>? current = System.Threading.Interlocked.Exchange(ref handler, null);
            if (current is not null)
            {
                log.EntryAdded -= current;
            }
        }
    }

    /// <summary>The stderr tail as an indented block for an error message, or an empty string.</summary>
    public string DescribeStderrTail()
    {
        IReadOnlyList<string> tail = StderrTail();
        return tail.Count == 0
            ? " It wrote nothing to standard error."
            : " Last lines of its standard error:" + string.Concat(tail.Select(l => Environment.NewLine + "  " + PrintableText.Escape(l, StderrLineQuoted)));
    }
}
