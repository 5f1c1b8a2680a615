using System.Collections.Generic;
using System.Threading.Tasks;
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
    private const int NoiseLinesKept = 20;

    private readonly TaskCompletionSource<string?> handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> noise = new();
    private readonly PluginLog log;

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

    /// <summary>The first lines printed to stdout before the handshake.</summary>
    public IReadOnlyList<string> Noise
    {
        get
        {
            lock (noise)
            {
                return noise.ToArray();
            }
        }
    }

    public static PluginOutputReader Start(IPluginProcess process, PluginLog log)
    {
        var reader = new PluginOutputReader(log);
        reader.StdoutDrained = Task.Run(() => reader.ReadStdoutAsync(new LineReader(process.StandardOutput)));
        reader.StderrDrained = Task.Run(() => reader.ReadStderrAsync(new LineReader(process.StandardError)));
        return reader;
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
                        if (noise.Count < NoiseLinesKept)
                        {
                            noise.Add(line);
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
