using System.Collections;
using System.Management.Automation;
using RpcPlugin.Commands;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Output;

namespace RpcPlugin.Calls;

/// <summary>
/// Invoke-RpcPluginMethod's side of a call, on the pipeline thread: it builds each request from pipeline input,
/// hands it to the core's <see cref="DynamicCall"/>, and writes what comes back, with the plugin's log lines as
/// warnings meanwhile, whatever the call's shape. Stream responses are formatted on the background reader.
/// </summary>
internal sealed partial class MethodCallBridge
{
    private readonly InvokeRpcPluginMethodCommand command;
    private readonly PluginSession session;
    private readonly DynamicCall call;
    private readonly MessageBuilder builder;
    private readonly ResponseFormatter formatter;
    private readonly StreamProgress? progress;
    private readonly CallTrace? trace;
    private readonly Action? showReport;
    private readonly Action<object> write;
    private readonly TerraformCallHooks? terraform;
    private DateTime? firstDeadline;
    private RequestStream? stream;
    private bool streamEnded;

    /// <param name="command">The command on whose behalf this writes.</param>
    /// <param name="session">The session called.</param>
    /// <param name="pool">The session's descriptors.</param>
    /// <param name="call">The prepared call.</param>
    /// <param name="form">How responses are written.</param>
    /// <param name="firstDeadline">The first call's deadline: -Timeout from the command's start, descriptor loading included.</param>
    /// <param name="ignoreUnknownFields">Whether request properties the request type lacks are skipped (-IgnoreUnknownFields).</param>
    /// <param name="trace">What to show about each call (-Verbose, -Debug), or null.</param>
    public MethodCallBridge(InvokeRpcPluginMethodCommand command, PluginSession session, DescriptorPool pool, DynamicCall call, OutputForm form, DateTime? firstDeadline, bool ignoreUnknownFields = false, CallTrace? trace = null)
    {
        this.trace = trace;
        showReport = trace is null ? null : () => trace.Report(call.LastReport);
        this.command = command;
        this.session = session;
        this.call = call;
        this.firstDeadline = firstDeadline;
        CallConverters converters = CallConverters.For(pool);
        builder = converters.BuilderFor(ignoreUnknownFields);
        formatter = converters.Formatter(form);
        if (call.Method.IsClientStreaming || call.Method.IsServerStreaming)
        {
            progress = new StreamProgress(command, $"{call.Name} on plugin '{session.Name}'");
        }

        write = WriteOutput;
        terraform = TerraformCallHooks.For(command, session, pool, call, formatter, form, firstDeadline);
    }

    /// <summary>The headers and trailers of the last call that ended, failed ones included.</summary>
    public CallMetadata? LastMetadata => call.LastMetadata;

    private CancellationToken StopToken => command.StopToken;

    /// <summary>Sends one request from the pipeline: a call of its own, or the next item of the request stream.</summary>
    public void Send(object? input)
    {
        if (call.Method.IsClientStreaming)
        {
            Stream(input, fromPipeline: true);
        }
        else
        {
            CallOnce(input);
        }
    }

    /// <summary>Sends what -Request holds (when nothing came through the pipeline): one request, or for a streaming method each element.</summary>
    public void SendRequestParameter(object? request)
    {
        if (!call.Method.IsClientStreaming)
        {
            CallOnce(request);
            return;
        }

        object? unwrapped = PowerShellValueAdapter.Instance.Unwrap(request);
        if (unwrapped is IEnumerable items and not string and not IDictionary)
        {
            foreach (object? item in items)
            {
                Stream(item, fromPipeline: false);
            }
        }
        else if (request is not null)
        {
            Stream(request, fromPipeline: false);
        }
    }

    /// <summary>Ends the request stream (an empty one if nothing was sent) and writes what is still to come.</summary>
    public void Finish()
    {
        if (call.Method.IsClientStreaming && !streamEnded)
        {
            streamEnded = true;
            (stream ??= new RequestStream(this)).Finish();
        }
    }

    /// <summary>Clears the stream's progress bar once the command is done with the method.</summary>
    public void CompleteProgress() => progress?.Complete();

    private void CallOnce(object? input)
    {
        if (Build(input) is not { } request)
        {
            return;
        }

        if (call.Method.IsServerStreaming)
        {
            IAsyncEnumerable<object> responses = call.ServerStreamAsync(request, NextDeadline(), StopToken);
            WaitCall(Task.Run(() => ReadAllAsync(responses)));
            return;
        }

        Task<object> unary = call.UnaryAsync(request, NextDeadline(), StopToken);
        if (!WaitCall(unary))
        {
            return;
        }

        if (trace?.Response(call, unary.Result) is { } shown)
        {
            command.WriteDebug(shown);
        }

        object? output;
        try
        {
            output = Format(unary.Result);
        }
        catch (PluginException e)
        {
            // A response that cannot be shown is that call's failure, as a plugin's error status is: the next
            // input is still called (a stream's reader does the same for each of its responses).
            command.WriteFailure(e, call.Name);
            return;
        }

        if (output is not null)
        {
            WriteOutput(output);
        }
    }

    private void Stream(object? input, bool fromPipeline)
    {
        if (streamEnded)
        {
            return;
        }

        if (Build(input) is not { } request)
        {
            // One bad item must not send a stream with a gap in it: end the stream instead.
            EndStream(abort: true, fromPipeline);
            return;
        }

        stream ??= new RequestStream(this);
        if (!stream.Write(request))
        {
            // The call ended while requests were still coming (the plugin died, the deadline passed, the session
            // was stopped, or it answered early): say so now rather than after the input ends.
            EndStream(abort: false, fromPipeline);
        }
    }

    private void EndStream(bool abort, bool fromPipeline)
    {
        streamEnded = true;
        if (abort)
        {
            stream?.Abort();
        }
        else
        {
            stream?.Finish();
        }

        if (fromPipeline)
        {
            command.StopUpstream();
        }
    }

    /// <summary>Reads responses in the background, formatting there, and queues them for the pipeline thread.</summary>
    private async Task ReadAllAsync(IAsyncEnumerable<object> responses)
    {
        await foreach (object response in responses.ConfigureAwait(false))
        {
            if (trace?.Response(call, response) is { } shown)
            {
                command.Post(() => command.WriteDebug(shown));
            }

            object? output;
            try
            {
                output = Format(response);
            }
            catch (PluginException e)
            {
                // One response that cannot be shown does not end the stream.
                command.Post(() => command.WriteFailure(e, call.Name));
                continue;
            }

            if (output is not null)
            {
                command.Queue.Add(output, StopToken);
            }
        }
    }

    /// <summary>Waits for a whole call (see <see cref="Wait"/>), then shows its report with -Verbose.</summary>
    private bool WaitCall(Task call)
    {
        if (trace is null)
        {
            return Wait(call);
        }

        try
        {
            // A failed call's report comes before its error.
            return Wait(call, showReport);
        }
        finally
        {
            trace.Report(this.call.LastReport);
        }
    }

    /// <summary>
    /// Waits on the pipeline thread for a call step, writing responses and the plugin's log lines meanwhile; true
    /// when it succeeded, else its failure has been written.
    /// </summary>
    private bool Wait(Task step, Action? beforeFailure = null)
    {
        using (command.ShowPluginLog(session))
        {
            command.WaitFor(step, write);
        }

        if (step.IsCompletedSuccessfully)
        {
            return true;
        }

        beforeFailure?.Invoke();

        Report(step.Exception?.InnerException ?? new OperationCanceledException());
        return false;
    }

    /// <summary>Writes the failure of a call step; Ctrl+C ends the pipeline quietly.</summary>
    private void Report(Exception failure)
    {
        switch (failure)
        {
            case OperationCanceledException when StopToken.IsCancellationRequested:
                throw new PipelineStoppedException();
            case OperationCanceledException:
                return; // a stream this bridge ended itself
            case RpcPluginException error:
                command.WriteFailure(error, call.Name);
                return;
            default:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                return;
        }
    }

    private DynamicMessage? Build(object? input)
    {
        if (terraform is not null)
        {
            return terraform.Build(input);
        }

        try
        {
            DynamicMessage request = builder.Build(call.Method.InputType, input);
            trace?.Request(call, request);
            return request;
        }
        catch (PluginException e)
        {
            command.WriteFailure(e, input);
            return null;
        }
    }

    private object? Format(object response)
    {
        if (response is byte[] bytes)
        {
            return bytes;
        }

        try
        {
            return terraform is not null ? terraform.Format((DynamicMessage)response) : formatter.Format((DynamicMessage)response);
        }
        catch (ProtobufCodecException e)
        {
            throw new PluginException(PluginErrorCode.InvalidResponse, $"A response of {call.Name} could not be turned into output: {e.Message}", e);
        }
    }

    private void WriteOutput(object output)
    {
        command.WriteResult(output);
        terraform?.WritePending();
        if (call.Method.IsServerStreaming)
        {
            progress?.Received();
        }
    }

    /// <summary>The first call's deadline counts from the command's start; later calls get -Timeout from their own start.</summary>
    private DateTime? NextDeadline()
    {
        DateTime? deadline = firstDeadline ?? call.NextDeadline();
        firstDeadline = null;
        return deadline;
    }
}
