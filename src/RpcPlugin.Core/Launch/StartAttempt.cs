using System.Security.Cryptography.X509Certificates;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Logs;
using RpcPlugin.Core.Processes;
using RpcPlugin.Core.Settings;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Launch;

/// <summary>
/// One try at starting a plugin: a process, its output, its private socket directory. Either it becomes a
/// session or <see cref="AbandonAsync"/> removes every trace of it.
/// </summary>
internal sealed class StartAttempt
{
    private static readonly TimeSpan StderrDrainWait = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ExitAfterRefusalWait = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan PartialLinePoll = TimeSpan.FromMilliseconds(100);

    private string? socketPath;

    private StartAttempt(IPluginProcess process, PluginOutputReader output, string? socketDirectory, string name)
    {
        Process = process;
        Output = output;
        SocketDirectory = socketDirectory;
        Name = name;
    }

    public IPluginProcess Process { get; }

    public PluginOutputReader Output { get; }

    public string? SocketDirectory { get; }

    public string Name { get; }

    public static StartAttempt Launch(PluginStartInfo info, string name, X509Certificate2? clientCertificate, PluginLog log)
    {
        // A private 0700 directory for the socket, for plugins that honour PLUGIN_UNIX_SOCKET_DIR (go-plugin ≥ 1.5).
        string? socketDirectory = OperatingSystem.IsWindows() ? null : Directory.CreateTempSubdirectory("rpcplugin-").FullName;
        try
        {
            string? pem = clientCertificate is null ? null : AutoMtlsCertificate.ToPem(clientCertificate);
            var spec = new ProcessStartSpec(
                info.FilePath,
                info.Arguments,
                PluginEnvironment.Build(info, pem, socketDirectory),
                info.WorkingDirectory ?? Environment.CurrentDirectory)
            {
                SocketDirectory = socketDirectory,
            };
            IPluginProcess process = ProcessLauncher.Start(spec);
            return new StartAttempt(process, PluginOutputReader.Start(process, log), socketDirectory, name);
        }
        catch
        {
            ProcessTeardown.RemoveFiles(null, socketDirectory);
            throw;
        }
    }

    /// <summary>Waits for the handshake line; throws the right error when the plugin exits or the deadline passes.</summary>
    public async Task<string> WaitForHandshakeAsync(DateTime deadline, TimeSpan timeout, PluginLog log, CancellationToken cancellationToken)
    {
        TimeSpan remaining = deadline - DateTime.UtcNow;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (remaining > TimeSpan.Zero)
        {
            timer.CancelAfter(remaining);
        }
        else
        {
            timer.Cancel();
        }

        Task timeoutTask = Task.Delay(Timeout.Infinite, timer.Token);
        string partial = string.Empty;
        while (!Output.Handshake.IsCompleted && !Process.Exited.IsCompleted && !timeoutTask.IsCompleted)
        {
            // A plugin may print its handshake without a newline and wait: once the unfinished line has stood
            // still for a moment and reads as a handshake, it is one.
            Task poll = Task.Delay(PartialLinePoll, timer.Token);
            await Task.WhenAny(Output.Handshake, Process.Exited, timeoutTask, poll).ConfigureAwait(false);
            string now = Output.PartialLine;
            if (poll.IsCompletedSuccessfully && now.Length > 0 && now == partial)
            {
                Output.TryTakePartialHandshake(now);
            }

            partial = now;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (Output.Handshake.IsCompletedSuccessfully && Output.Handshake.Result is { } line)
        {
            return line;
        }

        if (Output.Handshake.IsCompleted || Process.Exited.IsCompleted)
        {
            // stdout closed or the process ended: give it a moment to be reaped and to finish writing stderr.
            await Task.WhenAny(Task.WhenAll(Process.Exited, Output.StderrDrained), Task.Delay(StderrDrainWait, cancellationToken)).ConfigureAwait(false);
            throw ExitedBeforeHandshake(log);
        }

        throw new PluginException(
            PluginErrorCode.HandshakeTimeout,
            $"The plugin '{Name}' printed no handshake line within {Seconds(timeout)} (pid {Process.Id}).{DescribeNoise()}{log.DescribeStderrTail()}")
        {
            StderrTail = log.StderrTail(),
            RecommendedAction = $"If the plugin is merely slow, raise {HostTerms.Current.StartTimeout} or PLUGIN_CONNECTION_TIMEOUT; otherwise check that it is a go-plugin plugin and that its magic cookie and protocol versions are right.",
        };
    }

    /// <summary>
    /// A connection failure after the handshake, told with what the plugin did meanwhile: whether it exited (and
    /// how), and the last lines of its standard error, where a plugin says why it refused a certificate or quit.
    /// </summary>
    /// <remarks>Its waits end by <paramref name="deadline"/>: the start timeout bounds the whole start.</remarks>
    public async Task<PluginException> ExplainConnectFailureAsync(PluginException failure, PluginLog log, DateTime deadline)
    {
        // A plugin that closed the connection because it is going down is usually gone within moments.
        await WaitAsync(Process.Exited, ExitAfterRefusalWait, deadline).ConfigureAwait(false);
        int? code = null;
        if (Process.Exited.IsCompleted)
        {
            code = Process.Exited.Result;
            await WaitAsync(Output.StderrDrained, StderrDrainWait, deadline).ConfigureAwait(false);
        }

        IReadOnlyList<string> tail = log.StderrTail();
        if (code is null && tail.Count == 0)
        {
            return failure;
        }

        string exit = code is null ? string.Empty : $" The plugin exited with code {code}.";
        string lines = tail.Count == 0 ? string.Empty : log.DescribeStderrTail();
        return new PluginException(failure.Code, failure.Message + exit + lines, failure.InnerException)
        {
            ExitCode = code,
            StderrTail = tail,
            RecommendedAction = failure.RecommendedAction,
            Transient = failure.Transient,
        };
    }

    /// <summary>The socket the plugin said it serves on, once its handshake is read (a killed plugin leaves it behind).</summary>
    public string? SocketPath
    {
        get => socketPath;
        set
        {
            socketPath = value;
            if (value is not null)
            {
                Process.TrackSocket(value);
            }
        }
    }

    /// <summary>Kills what this attempt started and removes its files.</summary>
    public Task AbandonAsync() => ProcessTeardown.EndAsync(Process, SocketPath, SocketDirectory);

    private PluginException ExitedBeforeHandshake(PluginLog log)
    {
        int? code = Process.Exited.IsCompleted ? Process.Exited.Result : null;
        string codeText = code is null ? "closed its standard output" : $"exited with code {code}";
        string tail = log.DescribeStderrTail();
        if (log.StderrTail().Any(IsCookieMessage))
        {
            return new PluginException(
                PluginErrorCode.MagicCookieRejected,
                $"The plugin '{Name}' refused to start: its magic cookie check failed ({codeText}).{tail}")
            {
                ExitCode = code,
                StderrTail = log.StderrTail(),
                RecommendedAction = $"Pass the cookie the plugin expects with {HostTerms.Current.MagicCookie} (Terraform providers: TF_PLUGIN_MAGIC_COOKIE; go-plugin examples: BASIC_PLUGIN=hello).",
            };
        }

        return new PluginException(
            PluginErrorCode.PluginExited,
            $"The plugin '{Name}' {codeText} before printing its handshake.{DescribeNoise()}{tail}")
        {
            ExitCode = code,
            StderrTail = log.StderrTail(),
            Transient = true,
        };
    }

    private static bool IsCookieMessage(string line) =>
        line.Contains("This binary is a plugin", StringComparison.Ordinal)
        || line.Contains("magic cookie", StringComparison.OrdinalIgnoreCase);

    private string DescribeNoise() => Output.DescribeNoise();

    private static async Task WaitAsync(Task task, TimeSpan wait, DateTime deadline)
    {
        TimeSpan left = deadline - DateTime.UtcNow;
        if (left < wait)
        {
            wait = left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        await Task.WhenAny(task, Task.Delay(wait)).ConfigureAwait(false);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
