using RpcPlugin.Core.Handshake;
using RpcPlugin.Core.Processes;

namespace RpcPlugin.Core.Logs;

/// <summary>
/// Drains a plugin's standard output and error for its whole life (a full pipe would block the plugin). On
/// stdout it finds the handshake line, keeping the noise printed before it for error messages; everything else
/// goes to the session log.
/// </summary>
internal sealed class PluginOutputReader
{
    private const int NoiseLinesKept = 10;

    private readonly TaskCompletionSource<string?> handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> noise = new();
    private readonly PluginLog log;
    private LineReader? stdout;
    private int noiseSeen;

    private PluginOutputReader(PluginLog log)
    {
        this.log = log;
    }

    /// <summary>Completes with the first handshake-like stdout line, or null if stdout ended without one.</summary>
    public Task<string?> Handshake => handshake.Task;

    /// <summary>Completes when standard error has been read to its end.</summary>
    public Task StderrDrained { get; private set; } = Task.CompletedTask;

    /// <summary>Completes when standard output has been read to its end.</summary>
    public Task StdoutDrained { get; private set; } = Task.CompletedTask;

    /// <summary>Completes when both standard output and standard error have been read to their end.</summary>
    public Task Drained => Task.WhenAll(StdoutDrained, StderrDrained);

    /// <summary>What stdout holds of a line without its newline yet (a handshake printed without one, last words).</summary>
    public string PartialLine => stdout?.PartialLine ?? string.Empty;

    public static PluginOutputReader Start(IPluginProcess process, PluginLog log)
    {
        var reader = new PluginOutputReader(log);
        reader.stdout = new LineReader(process.StandardOutput);
        reader.StdoutDrained = Task.Run(() => reader.ReadStdoutAsync(reader.stdout));
        reader.StderrDrained = Task.Run(() => reader.ReadStderrAsync(new LineReader(process.StandardError)));
        return reader;
    }

    /// <summary>
    /// Takes the unfinished stdout line as the handshake if it is one (the plugin printed it without a newline);
    /// false when it is not, or when a handshake was found already.
    /// </summary>
    public bool TryTakePartialHandshake(string partial) =>
        HandshakeParser.IsHandshakeCandidate(partial) && handshake.TrySetResult(partial);

    /// <summary>
    /// The noise printed to stdout before the handshake, for an error message: the first lines and the unfinished
    /// last one, each made printable and cut short; empty when there was none.
    /// </summary>
    public string DescribeNoise()
    {
        List<string> lines;
        int seen;
        lock (noise)
        {
            lines = noise.ToList();
            seen = noiseSeen;
        }

        string partial = PartialLine;
        if (lines.Count == 0 && partial.Length == 0)
        {
            return string.Empty;
        }

        string more = seen > lines.Count ? $"{Environment.NewLine}  ... and {seen - lines.Count} more lines" : string.Empty;
        string last = partial.Length == 0 ? string.Empty : $"{Environment.NewLine}  {PrintableText.Escape(partial)} (no newline yet)";
        return " It printed these lines to standard output instead:"
            + string.Concat(lines.Select(l => Environment.NewLine + "  " + l)) + more + last;
    }

    private async Task ReadStdoutAsync(LineReader lines)
    {
        var parser = new HclogParser(RpcPluginLogSource.Stdout);
        try
        {
            while (await lines.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (!handshake.Task.IsCompleted && HandshakeParser.IsHandshakeCandidate(line))
                {
                    handshake.TrySetResult(line);
                    continue;
                }

                if (!handshake.Task.IsCompleted)
                {
                    lock (noise)
                    {
                        if (noiseSeen++ < NoiseLinesKept)
                        {
                            noise.Add(PrintableText.Escape(line));
                        }
                    }
                }

                log.Add(parser.Parse(line));
            }
        }
        finally
        {
            handshake.TrySetResult(null);
        }
    }

    private async Task ReadStderrAsync(LineReader lines)
    {
        var parser = new HclogParser(RpcPluginLogSource.Stderr);
        while (await lines.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            log.Add(parser.Parse(line));
        }
    }
}
