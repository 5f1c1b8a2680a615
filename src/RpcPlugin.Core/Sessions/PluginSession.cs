using Grpc.Core;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Logs;
using RpcPlugin.Core.Processes;
using RpcPlugin.Core.Terraform;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Sessions;

/// <summary>
/// A connected plugin: its process (started by us, or attached to), the gRPC channel, the log, the descriptors and
/// the state: Ready → Stopping → Exited, or Disconnected for an attached plugin that the stop left running.
/// Thread-safe; one session may serve many callers at once.
/// </summary>
public sealed partial class PluginSession : IRpcPluginSessionSource, IAsyncDisposable
{
    /// <summary>How long Stop waits for a plugin to exit after Shutdown, unless told otherwise (go-plugin's 2 s).</summary>
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(1);
    /// <summary>How long an exit or a stop waits for the plugin's output to be read to its end.</summary>
    internal static readonly TimeSpan OutputDrainWait = TimeSpan.FromSeconds(1);

    // A stop lets a descriptor load that is under way finish rather than cut its reflection stream (a server
    // built on Grpc.AspNetCore logs an error with a stack trace for a cancelled reflection stream); it takes
    // milliseconds, and this bounds a load that hangs.
    private static readonly TimeSpan DescriptorLoadGrace = TimeSpan.FromSeconds(1);

    private const int ExitNoticeNone = 0;
    private const int ExitNoticePending = 1;
    private const int ExitNoticeTaken = 2;
    private static int lastId;

    private readonly object gate = new();
    private readonly IPluginProcess? process;
    private readonly string? socketDirectory;
    private readonly CancellationTokenSource lifetime = new();
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SessionDescriptors descriptors;
    private readonly Task outputDrained;
    private PluginChannels? channels;
    private CallInvoker? callInvoker;
    private CallInvoker? internalInvoker;
    private Status status = new(RpcPluginSessionState.Ready, null, null); // replaced whole, under the gate
    private Task? stopping;
    private StopUrgency? urgency; // the stop under way's, which later calls may hurry
    private bool endAttached; // an attached plugin is to be ended, not only disconnected from
    private int exitNotice = ExitNoticeNone; // Pending once the plugin exits by itself, Taken once a command has warned

    internal PluginSession(SessionParts parts)
    {
        Id = Interlocked.Increment(ref lastId);
        Name = parts.Name;
        FilePath = parts.FilePath;
        process = parts.Process;
        socketDirectory = parts.SocketDirectory;
        Endpoint = parts.Endpoint;
        ProtocolVersion = parts.ProtocolVersion;
        TlsPlan = parts.Tls;
        channels = parts.Channels;
        Log = parts.Log;
        descriptors = parts.Terraform ? parts.Descriptors.ForTerraform(parts.ProtocolVersion) : parts.Descriptors;
        Terraform = parts.Terraform ? new TerraformSession(this, parts.ProtocolVersion, lifetime.Token) : null;
        outputDrained = parts.OutputDrained;
        Warnings = parts.Warnings;
        StartTime = DateTimeOffset.Now;
        Info = new RpcPluginSession(this);
        process?.Exited.ContinueWith(t => OnProcessExitedAsync(t.Result, DateTimeOffset.Now), TaskScheduler.Default);
        StdioPump.RunAsync(parts.Channels.Internal, parts.Log, lifetime.Token);
    }

    /// <summary>The object PowerShell scripts see.</summary>
    public RpcPluginSession Info { get; }

    /// <inheritdoc />
    public int Id { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string? FilePath { get; }

    /// <summary>Where the plugin serves.</summary>
    public PluginEndpoint Endpoint { get; }

    /// <summary>How the connection is secured, in words.</summary>
    public string TlsDescription => TlsPlan.Describe();

    /// <summary>Things the user should know about how the session was set up (e.g. a plaintext fallback).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The plugin's stderr, stdout and GRPCStdio lines.</summary>
    public PluginLog Log { get; }

    /// <inheritdoc />
    public RpcPluginSessionState State => Volatile.Read(ref status).State;

    /// <inheritdoc />
    public int? ProcessId => process?.Id;

    /// <inheritdoc />
    public string? Network => Endpoint.Network;

    /// <inheritdoc />
    public string? Address => Endpoint.Address;

    /// <inheritdoc />
    public int ProtocolVersion { get; }

    /// <inheritdoc />
    public bool Tls => TlsPlan.UseTls;

    /// <inheritdoc />
    public DateTimeOffset StartTime { get; }

    /// <inheritdoc />
    public DateTimeOffset? ExitTime => Volatile.Read(ref status).ExitTime;

    /// <inheritdoc />
    public int? ExitCode => Volatile.Read(ref status).ExitCode;

    /// <inheritdoc />
    public bool Owned => process?.Owned ?? false;

    /// <summary>The Terraform side of a provider's session (its schema); null for other plugins.</summary>
    public TerraformSession? Terraform { get; }

    /// <inheritdoc />
    bool IRpcPluginSessionSource.Terraform => Terraform is not null;

    /// <summary>
    /// The services the plugin serves (internal go-plugin ones left out). Right after a start the descriptors may
    /// still be loading: this waits for them (up to <see cref="SessionDescriptors.ServicesWait"/>). Null when
    /// they cannot be known: the load failed or is stuck, the plugin has no reflection and no descriptors were
    /// given, or the session closed before they loaded.
    /// </summary>
    public IReadOnlyList<string>? Services => descriptors.ServiceNames(State == RpcPluginSessionState.Ready ? () => InternalCallInvoker : null, lifetime.Token);

    /// <summary>Whether a stop was requested (by Stop-RpcPlugin, the runspace closing...), as opposed to the plugin dying by itself.</summary>
    public bool StopRequested
    {
        get
        {
            lock (gate)
            {
                return stopping is not null;
            }
        }
    }

    /// <summary>Completes when the session is over: the process exited or the session was stopped.</summary>
    public Task Closed => closed.Task;

    /// <summary>The call invoker for the user's calls, with the session's message size limit.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.SessionClosed"/> once the session is stopping or over.</exception>
    public CallInvoker CallInvoker
    {
        get
        {
            lock (gate)
            {
                PluginChannels open = OpenChannels();
                return callInvoker ??= open.Calls.CreateCallInvoker();
            }
        }
    }

    /// <summary>The call invoker for the module's own calls (reflection, health, a provider's schema): no size limit.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.SessionClosed"/> once the session is stopping or over.</exception>
    internal CallInvoker InternalCallInvoker
    {
        get
        {
            lock (gate)
            {
                PluginChannels open = OpenChannels();
                return internalInvoker ??= open.Internal.CreateCallInvoker();
            }
        }
    }

    /// <summary>Whether the plugin's process runs; null when the session knows no process (attached by address).</summary>
    internal bool? ProcessAlive => process is null ? null : !process.Exited.IsCompleted;

    internal TlsPlan TlsPlan { get; }

    /// <summary>
    /// Once, after the plugin exited by itself (not by a stop), a sentence saying so, with its exit code and last
    /// stderr lines; null otherwise. The cmdlets show it as a warning the next time the session is used.
    /// </summary>
    public string? TakeExitNotice()
    {
        // Every command asks, so no lock: only the first caller after the exit turns Pending into Taken.
        if (Interlocked.CompareExchange(ref exitNotice, ExitNoticeTaken, ExitNoticePending) != ExitNoticePending)
        {
            return null;
        }

        string code = ExitCode is int value ? $" with exit code {value}" : string.Empty;
        return $"The plugin '{Name}' (Id {Id}) exited by itself at {ExitTime:HH:mm:ss}{code}.{(Owned ? Log.DescribeStderrTail() : string.Empty)}";
    }

    /// <summary>The error for using a session that cannot be used any more, with what is known of why.</summary>
    public PluginException ClosedError()
    {
        string why = State switch
        {
            RpcPluginSessionState.Stopping => "is being stopped",
            RpcPluginSessionState.Exited when ExitCode is { } code && Owned => $"has exited (exit code {code})",
            RpcPluginSessionState.Exited => "has exited",
            RpcPluginSessionState.Disconnected => "was disconnected (the plugin itself may still run)",
            _ => "is closed",
        };
        return new PluginException(PluginErrorCode.SessionClosed, $"The plugin session '{Name}' (Id {Id}) {why}.{(ExitCode is not null ? Log.DescribeStderrTail() : string.Empty)}")
        {
            ExitCode = ExitCode,
            StderrTail = Log.StderrTail(),
            RecommendedAction = FilePath is not null
                ? $"Start the plugin again with {HostTerms.Current.StartCommand}; remove this session with {HostTerms.Current.StopCommand}."
                : $"Attach again with {HostTerms.Current.ConnectCommand}; remove this session with {HostTerms.Current.StopCommand}.",
        };
    }

    /// <summary>
    /// The descriptors of the plugin's services and messages: the user's .proto files and descriptor sets, plus what
    /// server reflection adds. Loaded once (in the background right after start, or on first use) and cached.
    /// </summary>
    /// <exception cref="PluginException">The session is closed, the plugin died meanwhile (<see cref="PluginErrorCode.PluginExited"/>),
    /// or reflection failed (a later call tries again).</exception>
    public async Task<DescriptorPool> GetDescriptorsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await descriptors.GetAsync(() => InternalCallInvoker, lifetime.Token, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PluginException { Code: PluginErrorCode.ConnectionFailed } or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The load broke with the connection, or the plugin's exit ended it: a death says so, as during a call.
            if (await CallFailure.ExitedErrorAsync(this, "while its descriptors were being read (server reflection)", e).ConfigureAwait(false) is { } exited)
            {
                throw exited;
            }

            throw;
        }
    }

    /// <summary>The descriptors, if they have loaded already (the fast path of repeated calls).</summary>
    public bool TryGetDescriptors([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DescriptorPool? pool) =>
        descriptors.TryGetLoaded(out pool);

    /// <summary>
    /// Starts loading the descriptors in the background, so that the first call finds them ready; a failure here
    /// is not an error (the first call that needs them tries again and reports it; a death here stays the exit
    /// notice of the next command).
    /// </summary>
    internal void PrefetchDescriptors() =>
        descriptors.GetAsync(() => InternalCallInvoker, lifetime.Token, CancellationToken.None).ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private string? SocketPath => Endpoint.Network == "unix" ? Endpoint.Address : null;

    private async Task OnProcessExitedAsync(int? code, DateTimeOffset exitTime)
    {
        // Its last words (a panic, why it quit) are in the log before anyone is told that it exited: a plugin that
        // goes down right after a burst of output is gone while the end of it still waits in the pipe.
        await Task.WhenAny(outputDrained, Task.Delay(OutputDrainWait)).ConfigureAwait(false);
        lock (gate)
        {
            bool unexpected = status.State == RpcPluginSessionState.Ready; // else a stop is under way and decides the state
            Volatile.Write(ref status, new Status(unexpected ? RpcPluginSessionState.Exited : status.State, code, status.ExitTime ?? exitTime));
            if (!unexpected)
            {
                return;
            }

            Volatile.Write(ref exitNotice, ExitNoticePending);
        }

        lifetime.Cancel();
        closed.TrySetResult();
    }

    /// <summary>The channels while the session is ready; called under the gate.</summary>
    private PluginChannels OpenChannels() =>
        status.State == RpcPluginSessionState.Ready && channels is not null ? channels : throw ClosedError();

    private void DisposeChannel()
    {
        PluginChannels? current;
        lock (gate)
        {
            current = channels;
            channels = null;
            callInvoker = null;
            internalInvoker = null;
        }

        current?.Dispose();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <inheritdoc />
    public override string ToString() => $"{Name} (Id {Id}, {State})";

    /// <summary>The state with the exit that goes with it, read together without a lock.</summary>
    private sealed record Status(RpcPluginSessionState State, int? ExitCode, DateTimeOffset? ExitTime);
}
