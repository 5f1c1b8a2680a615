using System.Management.Automation;
using RpcPlugin.Core.Logs;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Output;

namespace RpcPlugin.Bases;

/// <summary>
/// Base of every RpcPlugin cmdlet: Ctrl+C cancels the running operation, background work reports to the pipeline
/// thread through one queue (all Write* calls happen there), and failures become ErrorRecords in one way.
/// </summary>
public abstract class RpcPluginCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private PipelineQueue? queue;
    private Action<RpcPluginLogEntry>? showLogEntry;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken Cancellation => stopping.Token;

    /// <summary>What background work hands to the pipeline thread.</summary>
    internal PipelineQueue Queue => queue ??= new PipelineQueue(ReportDroppedLogLines);

    /// <summary>Whether verbose output is wanted, so that callers can skip building messages nobody sees.</summary>
    protected bool VerboseWanted => Wanted("Verbose", "VerbosePreference");

    /// <summary>Whether debug output is wanted, so that callers can skip building messages nobody sees.</summary>
    protected bool DebugWanted => Wanted("Debug", "DebugPreference");

    /// <inheritdoc />
    public void Dispose()
    {
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>
    /// Runs asynchronous work and, until it completes, carries out on this (the pipeline) thread whatever the work
    /// posts with <see cref="Post"/>. Cancellation by Ctrl+C ends the pipeline quietly.
    /// </summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        Task<T> task = Task.Run(() => work(Cancellation));
        WaitFor(task);
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// <see cref="Run{T}(Func{CancellationToken, Task{T}})"/> for work whose result must not be lost: one that
    /// arrives after Ctrl+C ended the wait goes to <paramref name="orphaned"/> (a started session, to be stopped).
    /// </summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work, Action<T> orphaned)
    {
        Task<T> task = Task.Run(() => work(Cancellation));
        try
        {
            WaitFor(task);
        }
        catch (PipelineStoppedException)
        {
            _ = task.ContinueWith(t => orphaned(t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }

        return Run(_ => task);
    }

    /// <summary>Runs asynchronous work without a result; see <see cref="Run{T}(Func{CancellationToken, Task{T}})"/>.</summary>
    protected void Run(Func<CancellationToken, Task> work) => Run(async token =>
    {
        await work(token).ConfigureAwait(false);
        return true;
    });

    /// <summary>
    /// Waits on the pipeline thread for <paramref name="task"/>, writing what background work queues meanwhile
    /// (results through <paramref name="write"/>, actions as they are). Does not observe the task's outcome.
    /// Ctrl+C ends the pipeline quietly.
    /// </summary>
    internal void WaitFor(Task task, Action<object>? write = null)
    {
        try
        {
            Queue.WaitFor(task, write ?? WriteResult, Cancellation);
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Queues an action for the pipeline thread, carried out by the next wait.</summary>
    protected internal void Post(Action action) => Queue.Post(action);

    /// <summary>
    /// Shows the plugin's log lines while this command waits: warnings and errors as Warning records, the rest as
    /// Verbose. Dispose the result to stop.
    /// </summary>
    internal LogSubscription ShowPluginLog(PluginSession session) => new(session.Log, showLogEntry ??= ShowLogEntry);

    /// <summary>Posts one plugin log line as a Warning (warn, error) or Verbose record; the oldest give way to a flood.</summary>
    protected void ShowLogEntry(RpcPluginLogEntry entry)
    {
        string text = $"[{entry.SessionName}] {entry.Message}";
        if (entry.Level >= RpcPluginLogLevel.Warn)
        {
            Queue.PostLogLine(() => WriteWarning(text), text.Length, verbose: false);
        }
        else
        {
            Queue.PostLogLine(() => WriteVerbose(text), text.Length, verbose: true);
        }
    }

    /// <summary>Queues a plugin log entry to write as output (Get-RpcPluginLog -Wait); the oldest give way to a flood.</summary>
    protected void PostLogEntry(RpcPluginLogEntry entry) => Queue.PostLogLine(() => WriteObject(entry), entry.Line.Length, verbose: false);

    /// <summary>
    /// Whether a stream's records are shown: its switch when given, else its preference variable, which a script
    /// that assigns <c>$VerbosePreference = 'Continue'</c> in its own scope holds as a string.
    /// </summary>
    private bool Wanted(string switchName, string preferenceVariable)
    {
        if (MyInvocation.BoundParameters.TryGetValue(switchName, out object? given))
        {
            return given is SwitchParameter { IsPresent: true };
        }

        return LanguagePrimitives.TryConvertTo(GetVariableValue(preferenceVariable), out ActionPreference preference)
            && preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
    }

    /// <summary>Writes a non-terminating error for a failure.</summary>
    protected internal void WriteFailure(Exception exception, object? target) => WriteError(ErrorRecords.From(exception, target));

    /// <summary>Ends the command with a terminating error for a failure.</summary>
    protected void ThrowFailure(Exception exception, object? target) => ThrowTerminatingError(ErrorRecords.From(exception, target));

    private void WriteResult(object result) => WriteObject(result);

    /// <summary>Says how many plugin log lines gave way: as Verbose when they would all have been Verbose, so that nobody is warned of lines they did not ask for.</summary>
    private void ReportDroppedLogLines(long count, bool onlyVerbose)
    {
        string text = $"{count} plugin log {(count == 1 ? "entry was" : "entries were")} dropped: the pipeline could not keep up with the plugin's log.";
        if (onlyVerbose)
        {
            WriteVerbose(text);
        }
        else
        {
            WriteWarning(text);
        }
    }

    /// <summary>A log subscription, ended by Dispose; a struct, so the calls that take one per call allocate nothing.</summary>
    internal readonly struct LogSubscription : IDisposable
    {
        private readonly PluginLog log;
        private readonly Action<RpcPluginLogEntry> handler;

        public LogSubscription(PluginLog log, Action<RpcPluginLogEntry> handler)
        {
            this.log = log;
            this.handler = handler;
            log.EntryAdded += handler;
        }

        public void Dispose() => log.EntryAdded -= handler;
    }
}
