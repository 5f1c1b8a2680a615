using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Handshake;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Logs;
using RpcPlugin.Core.Processes;
using RpcPlugin.Core.Terraform;
using RpcPlugin.Core.Transport;
using RpcPlugin.Protocol;

namespace RpcPlugin.Core.Sessions;

/// <summary>
/// A connected plugin: its process (when we started it), the gRPC channel, the log, and the state machine
/// Starting → Ready → Stopping → Exited (or Failed). Thread-safe; one session may serve many callers at once.
/// </summary>
public sealed class PluginSession : IRpcPluginSessionSource, IAsyncDisposable
{
    /// <summary>How long Stop waits for a plugin to exit after Shutdown, unless told otherwise (go-plugin's 2 s).</summary>
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ExternalWatchInterval = TimeSpan.FromMilliseconds(500);
    private const int ExitNoticeNone = 0;
    private const int ExitNoticePending = 1;
    private const int ExitNoticeTaken = 2;
    private static int lastId;

    private readonly object gate = new();
    private readonly IPluginProcess? process;
    private readonly int? externalPid;
    private readonly Timer? externalWatch;
    private readonly string? socketDirectory;
    private readonly CancellationTokenSource lifetime = new();
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SessionDescriptors descriptors;
    private GrpcChannel? channel;
    private CallInvoker? callInvoker;
    private RpcPluginSessionState state = RpcPluginSessionState.Ready;
    private int? exitCode;
    private DateTimeOffset? exitTime;
    private Task? stopping;
    private int exitNotice = ExitNoticeNone; // Pending once the plugin exits by itself, Taken once a command has warned
    private IReadOnlyList<string> services = Array.Empty<string>();

    internal PluginSession(SessionParts parts)
    {
        Id = Interlocked.Increment(ref lastId);
        Name = parts.Name;
        FilePath = parts.FilePath;
        process = parts.Process;
        externalPid = parts.ExternalPid;
        socketDirectory = parts.SocketDirectory;
        Endpoint = parts.Endpoint;
        Handshake = parts.Handshake;
        ProtocolVersion = parts.ProtocolVersion;
        TlsPlan = parts.Tls;
        channel = parts.Channel;
        Log = parts.Log;
        descriptors = parts.Terraform ? parts.Descriptors.ForTerraform(parts.ProtocolVersion) : parts.Descriptors;
        Terraform = parts.Terraform ? new TerraformSession(this, parts.ProtocolVersion, lifetime.Token) : null;
        Warnings = parts.Warnings;
        StartTime = DateTimeOffset.Now;
        Info = new RpcPluginSession(this);
        process?.Exited.ContinueWith(t => OnProcessExited(t.Result), TaskScheduler.Default);
        if (externalPid is int pid)
        {
            externalWatch = new Timer(_ => WatchExternalProcess(pid), null, ExternalWatchInterval, ExternalWatchInterval);
        }

        StdioPump.RunAsync(parts.Channel, parts.Log, lifetime.Token);
    }

    /// <summary>Raised (on any thread) when <see cref="State"/> changes.</summary>
    public event Action<PluginSession>? StateChanged;

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

    /// <summary>The handshake the plugin printed (null for sessions attached without one).</summary>
    public PluginHandshake? Handshake { get; }

    /// <summary>How the connection is secured, in words.</summary>
    public string TlsDescription => TlsPlan.Describe();

    /// <summary>Things the user should know about how the session was set up (e.g. a plaintext fallback).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The plugin's stderr, stdout and GRPCStdio lines.</summary>
    public PluginLog Log { get; }

    /// <inheritdoc />
    public RpcPluginSessionState State
    {
        get
        {
            lock (gate)
            {
                return state;
            }
        }
    }

    /// <inheritdoc />
    public int? ProcessId => process?.Id ?? externalPid;

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
    public DateTimeOffset? ExitTime
    {
        get
        {
            lock (gate)
            {
                return exitTime;
            }
        }
    }

    /// <inheritdoc />
    public int? ExitCode
    {
        get
        {
            lock (gate)
            {
                return exitCode;
            }
        }
    }

    /// <inheritdoc />
    public bool Owned => process is not null;

    /// <summary>The Terraform side of a provider's session (its schema); null for other plugins.</summary>
    public TerraformSession? Terraform { get; }

    /// <inheritdoc />
    bool IRpcPluginSessionSource.Terraform => Terraform is not null;

    /// <inheritdoc />
    public IReadOnlyList<string> Services
    {
        get
        {
            lock (gate)
            {
                return services;
            }
        }

        internal set
        {
            lock (gate)
            {
                services = value;
            }
        }
    }

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

    /// <summary>The channel's call invoker, for calling methods.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.SessionClosed"/> once the session is stopping or over.</exception>
    public CallInvoker CallInvoker
    {
        get
        {
            lock (gate)
            {
                if (state != RpcPluginSessionState.Ready || channel is null)
                {
                    throw ClosedError();
                }

                return callInvoker ??= channel.CreateCallInvoker();
            }
        }
    }

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
        RpcPluginSessionState current = State;
        string why = current switch
        {
            RpcPluginSessionState.Stopping => "is being stopped",
            RpcPluginSessionState.Exited when ExitCode is { } code && Owned => $"has exited (exit code {code})",
            RpcPluginSessionState.Failed => "has failed",
            _ => "is closed",
        };
        return new PluginException(PluginErrorCode.SessionClosed, $"The plugin session '{Name}' (Id {Id}) {why}.{(ExitCode is not null ? Log.DescribeStderrTail() : string.Empty)}")
        {
            ExitCode = ExitCode,
            StderrTail = Log.StderrTail(),
            RecommendedAction = "Start the plugin again with Start-RpcPlugin; remove this session with Stop-RpcPlugin.",
        };
    }

    /// <summary>
    /// The descriptors of the plugin's services and messages: the user's .proto files and descriptor sets, plus what
    /// server reflection adds. Loaded once (on first use, or in the background right after start) and cached.
    /// </summary>
    /// <exception cref="PluginException">The session is closed, or reflection failed (a later call tries again).</exception>
    public async Task<DescriptorPool> GetDescriptorsAsync(CancellationToken cancellationToken = default)
    {
        DescriptorPool pool = await descriptors.GetAsync(() => CallInvoker, lifetime.Token, cancellationToken).ConfigureAwait(false);
        Services = pool.Services.Where(s => !InternalServices.IsInternal(s.FullName)).Select(s => s.FullName).ToArray();
        return pool;
    }

    /// <summary>
    /// Starts loading the descriptors in the background, so Services fills in and the first call finds them ready;
    /// a failure here is not an error (the first call that needs them tries again and reports it).
    /// </summary>
    internal void PrefetchDescriptors() =>
        GetDescriptorsAsync().ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>The descriptors, if they have loaded already (the fast path of repeated calls).</summary>
    public bool TryGetDescriptors([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DescriptorPool? pool) =>
        descriptors.TryGetLoaded(out pool);

    /// <summary>
    /// Checks health with <c>grpc.health.v1.Health/Check</c>: the given service, or <c>plugin</c> (go-plugin) and,
    /// when that is unknown, <c>""</c> (pyvider).
    /// </summary>
    public async Task<HealthResult> CheckHealthAsync(string? service, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        bool? alive = IsProcessAlive();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string asked = service ?? "plugin";
        if (alive == false || State != RpcPluginSessionState.Ready)
        {
            return new HealthResult(asked, State.ToString().ToUpperInvariant(), false, alive, watch.Elapsed);
        }

        var client = new Health.HealthClient(CallInvoker);
        DateTime deadline = DateTime.UtcNow + timeout;
        try
        {
            HealthCheckResponse response;
            try
            {
                response = await client.CheckAsync(new HealthCheckRequest { Service = asked }, deadline: deadline, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (service is null && e.StatusCode == StatusCode.NotFound)
            {
                asked = string.Empty;
                response = await client.CheckAsync(new HealthCheckRequest { Service = asked }, deadline: deadline, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            bool serving = response.Status == HealthCheckResponse.Types.ServingStatus.Serving;
            return new HealthResult(asked, StatusName(response.Status), serving && alive != false, alive, watch.Elapsed);
        }
        catch (RpcException e)
        {
            return new HealthResult(asked, e.StatusCode.ToString(), false, IsProcessAlive(), watch.Elapsed);
        }
    }

    /// <summary>
    /// Stops the session (PROTOCOL §5). Owned plugins: Shutdown RPC, wait up to <paramref name="timeout"/> for exit,
    /// SIGTERM and a short wait, then kill the whole process tree; with <paramref name="force"/> kill at once.
    /// Always removes what we created (socket directory, stale socket). Idempotent: concurrent calls share one stop.
    /// Cancelling skips the graceful waits but still kills, so nothing is left running.
    /// </summary>
    public Task StopAsync(TimeSpan? timeout = null, bool force = false, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (stopping is null)
            {
                if (state is RpcPluginSessionState.Ready or RpcPluginSessionState.Starting)
                {
                    state = RpcPluginSessionState.Stopping;
                }

                stopping = StopCoreAsync(timeout ?? DefaultStopTimeout, force, cancellationToken);
            }

            return stopping;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StopCoreAsync(TimeSpan timeout, bool force, CancellationToken cancellationToken)
    {
        await Task.Yield();
        RaiseStateChanged();
        lifetime.Cancel();
        try
        {
            if (process is not null && !process.Exited.IsCompleted && !force)
            {
                await StopGracefullyAsync(process, timeout, cancellationToken).ConfigureAwait(false);
            }
            else if (process is null && force && externalPid is int pid)
            {
                await StopExternalAsync(pid, timeout, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            externalWatch?.Dispose();
            DisposeChannel();
            if (process is not null)
            {
                // Also after a graceful exit: children the plugin left behind belong to its group.
                process.KillTree();
                await WaitForExitAsync(process, TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
                process.Dispose();
            }

            RemoveSocketFiles();
            lock (gate)
            {
                exitTime ??= DateTimeOffset.Now;
                if (state != RpcPluginSessionState.Failed)
                {
                    state = RpcPluginSessionState.Exited;
                }
            }

            closed.TrySetResult();
            RaiseStateChanged();
        }
    }

    private async Task StopGracefullyAsync(IPluginProcess plugin, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        if (!await RequestShutdownAsync(deadline, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        DisposeChannel();
        TimeSpan remaining = deadline - DateTime.UtcNow;
        if (await WaitForExitAsync(plugin, remaining, cancellationToken).ConfigureAwait(false) || cancellationToken.IsCancellationRequested)
        {
            return;
        }

        if (plugin.RequestTermination())
        {
            await WaitForExitAsync(plugin, timeout < TerminateGrace ? timeout : TerminateGrace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stop -Force on a plugin we attached to: Shutdown, a wait, then kill by pid (we cannot wait for it).</summary>
    private async Task StopExternalAsync(int pid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        await RequestShutdownAsync(deadline, cancellationToken).ConfigureAwait(false);
        DisposeChannel();
        while (ExternalProcess.IsAlive(pid) && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        if (ExternalProcess.IsAlive(pid))
        {
            ExternalProcess.Kill(pid);
        }
    }

    /// <summary>Asks the plugin to exit (GRPCController/Shutdown); false when the wait was cancelled.</summary>
    private async Task<bool> RequestShutdownAsync(DateTime deadline, CancellationToken cancellationToken)
    {
        try
        {
            GrpcChannel? current;
            lock (gate)
            {
                current = channel;
            }

            if (current is not null)
            {
                var controller = new GRPCController.GRPCControllerClient(current);
                await controller.ShutdownAsync(new Empty(), deadline: deadline, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RpcException)
        {
            // go-plugin 1.0.1 closes the connection before answering (Unavailable); others may lack the service.
            // Either way the wait that follows decides.
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }

    private static async Task<bool> WaitForExitAsync(IPluginProcess plugin, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (plugin.Exited.IsCompleted)
        {
            return true;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            await plugin.Exited.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return plugin.Exited.IsCompleted;
        }
    }

    private bool? IsProcessAlive() =>
        process is not null ? !process.Exited.IsCompleted
        : externalPid is int pid ? ExternalProcess.IsAlive(pid)
        : null;

    private void WatchExternalProcess(int pid)
    {
        if (!ExternalProcess.IsAlive(pid))
        {
            externalWatch?.Dispose();
            OnProcessExited(null);
        }
    }

    private void OnProcessExited(int? code)
    {
        bool unexpected;
        lock (gate)
        {
            exitCode = code;
            exitTime = DateTimeOffset.Now;
            unexpected = state is RpcPluginSessionState.Ready or RpcPluginSessionState.Starting;
            if (unexpected)
            {
                state = RpcPluginSessionState.Exited;
                Volatile.Write(ref exitNotice, ExitNoticePending);
            }
        }

        if (unexpected)
        {
            lifetime.Cancel();
            closed.TrySetResult();
            RaiseStateChanged();
        }
    }

    private void DisposeChannel()
    {
        GrpcChannel? current;
        lock (gate)
        {
            current = channel;
            channel = null;
            callInvoker = null;
        }

        current?.Dispose();
    }

    private void RemoveSocketFiles()
    {
        if (process is null)
        {
            return; // not ours to clean
        }

        try
        {
            // A killed plugin leaves its socket file behind (PROTOCOL §12). We connected to it, so it was a socket.
            if (Endpoint.Network == "unix" && File.Exists(Endpoint.Address))
            {
                File.Delete(Endpoint.Address);
            }

            if (socketDirectory is not null && Directory.Exists(socketDirectory))
            {
                Directory.Delete(socketDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void RaiseStateChanged() => StateChanged?.Invoke(this);

    private static string StatusName(HealthCheckResponse.Types.ServingStatus status) => status switch
    {
        HealthCheckResponse.Types.ServingStatus.Serving => "SERVING",
        HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
        HealthCheckResponse.Types.ServingStatus.ServiceUnknown => "SERVICE_UNKNOWN",
        _ => "UNKNOWN",
    };

    /// <inheritdoc />
    public override string ToString() => $"{Name} (Id {Id}, {State})";
}
