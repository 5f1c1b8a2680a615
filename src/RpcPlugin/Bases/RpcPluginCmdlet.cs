using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RpcPlugin.Arguments;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Output;

namespace RpcPlugin.Bases;

/// <summary>
/// Base of every RpcPlugin cmdlet: Ctrl+C cancels the running operation, background work reports to the pipeline
/// thread through a queue (all Write* calls happen there), and failures become ErrorRecords in one way.
/// </summary>
public abstract class RpcPluginCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private BlockingCollection<Action>? pending;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken Cancellation => stopping.Token;

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
        using var queue = new BlockingCollection<Action>();
        pending = queue;
        Task<T> task;
        try
        {
            task = Task.Run(() => work(Cancellation));
            task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (Action action in queue.GetConsumingEnumerable())
            {
                action();
            }
        }
        finally
        {
            pending = null;
        }

        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Runs asynchronous work without a result; see <see cref="Run{T}"/>.</summary>
    protected void Run(Func<CancellationToken, Task> work) => Run(async token =>
    {
        await work(token).ConfigureAwait(false);
        return true;
    });

    /// <summary>Queues an action for the pipeline thread while <see cref="Run{T}"/> waits; dropped when nothing waits.</summary>
    protected void Post(Action action)
    {
        try
        {
            pending?.TryAdd(action);
        }
        catch (InvalidOperationException)
        {
            // The work finished between the check and the add: nobody will write this any more.
        }
    }

    /// <summary>
    /// Shows the plugin's log lines while this command runs: warnings and errors as Warning records, the rest as
    /// Verbose. Dispose the result to stop.
    /// </summary>
    protected IDisposable ShowPluginLog(PluginSession session) => ShowPluginLog(session, Post);

    /// <summary>Shows the plugin's log lines through <paramref name="post"/>, which carries them to the pipeline thread.</summary>
    protected IDisposable ShowPluginLog(PluginSession session, Action<Action> post)
    {
        void OnEntry(RpcPluginLogEntry entry) => ShowLogEntry(entry, post);
        session.Log.EntryAdded += OnEntry;
        return new Unsubscriber(() => session.Log.EntryAdded -= OnEntry);
    }

    /// <summary>Posts one plugin log line as a Warning (warn, error) or Verbose record.</summary>
    protected void ShowLogEntry(RpcPluginLogEntry entry) => ShowLogEntry(entry, Post);

    /// <summary>Whether verbose output is wanted, so that callers can skip building messages nobody sees.</summary>
    protected bool VerboseWanted =>
        MyInvocation.BoundParameters.TryGetValue("Verbose", out object? verbose)
            ? verbose is SwitchParameter { IsPresent: true }
            : GetVariableValue("VerbosePreference") is ActionPreference preference && preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;

    private void ShowLogEntry(RpcPluginLogEntry entry, Action<Action> post)
    {
        string text = $"[{entry.SessionName}] {entry.Message}";
        if (entry.Level >= RpcPluginLogLevel.Warn)
        {
            post(() => WriteWarning(text));
        }
        else
        {
            post(() => WriteVerbose(text));
        }
    }

    /// <summary>Writes a non-terminating error for a failure.</summary>
    protected void WriteFailure(Exception exception, object? target) => WriteError(ErrorRecords.From(exception, target));

    /// <summary>Ends the command with a terminating error for a failure.</summary>
    protected void ThrowFailure(Exception exception, object? target) => ThrowTerminatingError(ErrorRecords.From(exception, target));

    private sealed class Unsubscriber : IDisposable
    {
        private Action? undo;

        public Unsubscriber(Action undo)
        {
            this.undo = undo;
        }

        public void Dispose() => Interlocked.Exchange(ref undo, null)?.Invoke();
    }
}
