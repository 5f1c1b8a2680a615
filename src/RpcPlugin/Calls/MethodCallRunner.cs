using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf.Reflection;
using Grpc.Core;
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
/// Carries out Invoke-RpcPluginMethod for one method: unary and server-streaming calls per request,
/// client-streaming and bidi calls as one stream fed by the pipeline. Background tasks read responses (and, for
/// streams, write requests) while the pipeline thread alone writes output; bidi responses are written between
/// requests, as they arrive. With -Raw the responses stay as their bytes and are never decoded.
/// </summary>
internal sealed class MethodCallRunner
{
    private readonly InvokeRpcPluginMethodCommand command;
    private readonly PluginSession session;
    private readonly MethodDescriptor method;
    private readonly CallSettings settings;
    private readonly MessageBuilder builder;
    private readonly ResponseFormatter formatter;
    private readonly string methodName;
    private readonly bool keepMetadata;
    private readonly StreamProgress? progress;
    private RequestStream? stream;

    public MethodCallRunner(InvokeRpcPluginMethodCommand command, PluginSession session, DescriptorPool pool, MethodDescriptor method, CallSettings settings, bool keepMetadata)
    {
        this.command = command;
        this.session = session;
        this.method = method;
        this.settings = settings;
        this.keepMetadata = keepMetadata;
        methodName = MethodResolver.FullName(method);
        CallConverters converters = CallConverters.For(pool);
        builder = converters.Builder;
        formatter = converters.Formatter(settings.Form);
        if (method.IsClientStreaming || method.IsServerStreaming)
        {
            progress = new StreamProgress(command, $"{methodName} on plugin '{session.Name}'");
        }
    }

    public OrderedDictionary? LastHeaders { get; private set; }

    public OrderedDictionary? LastTrailers { get; private set; }

    private bool Raw => settings.Form == OutputForm.Raw;

    /// <summary>Sends one request from the pipeline.</summary>
    public void Send(object? input)
    {
        if (method.IsClientStreaming)
        {
            Enqueue(input);
        }
        else
        {
            CallOnce(input);
        }
    }

    /// <summary>Sends what -Request holds (when nothing came through the pipeline): one request, or for a streaming method each element.</summary>
    public void SendRequestParameter(object? request)
    {
        if (!method.IsClientStreaming)
        {
            CallOnce(request);
            return;
        }

        object? unwrapped = PowerShellValueAdapter.Instance.Unwrap(request);
        if (unwrapped is IEnumerable items and not string and not IDictionary)
        {
            foreach (object? item in items)
            {
                Enqueue(item);
            }
        }
        else if (request is not null)
        {
            Enqueue(request);
        }
    }

    /// <summary>Ends a request stream and writes what is still to come.</summary>
    public void Finish()
    {
        if (!method.IsClientStreaming)
        {
            return;
        }

        stream ??= RequestStream.Start(this);
        using (stream)
        {
            Guard(() => stream.Finish());
        }
    }

    private void CallOnce(object? input)
    {
        if (Build(input) is not { } request)
        {
            return;
        }

        Guard(() =>
        {
            if (Raw)
            {
                Call(DynamicMethods.RawFor(method), request);
            }
            else
            {
                Call(DynamicMethods.For(method), request);
            }
        });
    }

    private void Call<TResponse>(Method<DynamicMessage, TResponse> definition, DynamicMessage request)
        where TResponse : class
    {
        if (method.IsServerStreaming)
        {
            using AsyncServerStreamingCall<TResponse> call = session.CallInvoker.AsyncServerStreamingCall(definition, null, Options(), request);
            ReadAll(call.ResponseStream, command.StopToken);
            Collect(call.ResponseHeadersAsync, call.GetTrailers);
        }
        else
        {
            using AsyncUnaryCall<TResponse> call = session.CallInvoker.AsyncUnaryCall(definition, null, Options(), request);
            WriteOutput(Format(call.ResponseAsync.GetAwaiter().GetResult()));
            Collect(call.ResponseHeadersAsync, call.GetTrailers);
        }
    }

    /// <summary>Reads a response stream in the background, formatting there, and writes on this thread in batches.</summary>
    private void ReadAll<TResponse>(IAsyncStreamReader<TResponse> responses, CancellationToken cancellationToken)
        where TResponse : class
    {
        using var queue = new ResultQueue();
        Task reader = StartReading(responses, queue, cancellationToken);
        using (command.ShowLog(session, queue.Post))
        {
            DrainQueue(queue, reader);
        }
    }

    /// <summary>Reads and formats responses on a background task into <paramref name="queue"/>, completing it at the end.</summary>
    private Task StartReading<TResponse>(IAsyncStreamReader<TResponse> responses, ResultQueue queue, CancellationToken cancellationToken)
        where TResponse : class => Task.Run(async () =>
    {
        try
        {
            while (await responses.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                QueueFormatted(queue, responses.Current, cancellationToken);
            }
        }
        finally
        {
            queue.Complete();
        }
    });

    private void QueueFormatted<TResponse>(ResultQueue queue, TResponse response, CancellationToken cancellationToken)
        where TResponse : class
    {
        try
        {
            if (Format(response) is { } output)
            {
                queue.Add(output, cancellationToken);
            }
        }
        catch (PluginException e)
        {
            queue.Post(() => command.WriteCallFailure(e, methodName));
        }
    }

    private void DrainQueue(ResultQueue queue, Task producer)
    {
        try
        {
            queue.DrainUntilComplete(WriteOutput, command.StopToken);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }

        producer.GetAwaiter().GetResult();
    }

    private void Enqueue(object? input)
    {
        if (stream?.Failed == true || Build(input) is not { } request)
        {
            return;
        }

        stream ??= RequestStream.Start(this);
        Guard(() => stream.Write(request));
        progress?.Sent();
    }

    private DynamicMessage? Build(object? input)
    {
        try
        {
            return builder.Build(method.InputType, input);
        }
        catch (PluginException e)
        {
            command.WriteCallFailure(e, input);

            // One bad item must not send a partial stream: end the stream with the error instead.
            stream?.Abort();
            return null;
        }
    }

    private object? Format<TResponse>(TResponse response)
        where TResponse : class
    {
        if (response is byte[] bytes)
        {
            return bytes;
        }

        try
        {
            return formatter.Format((DynamicMessage)(object)response);
        }
        catch (ProtobufCodecException e)
        {
            throw new PluginException(PluginErrorCode.InvalidResponse, $"A response of {methodName} could not be turned into output: {e.Message}", e);
        }
    }

    private void WriteOutput(object? output)
    {
        if (output is not null)
        {
            command.WriteResult(output);
        }

        if (method.IsServerStreaming)
        {
            progress?.Received();
        }
    }

    /// <summary>Clears the stream's progress bar once the command is done with the method.</summary>
    public void CompleteProgress() => progress?.Complete();

    private void Collect(Task<Metadata> headers, Func<Metadata> trailers)
    {
        if (keepMetadata)
        {
            LastHeaders = headers.IsCompletedSuccessfully ? MetadataConverter.ToDictionary(headers.Result) : null;
            LastTrailers = MetadataConverter.ToDictionary(trailers());
        }
    }

    /// <summary>Runs a call step, turning its failures into the errors users see (Ctrl+C ends the pipeline quietly).</summary>
    private void Guard(Action step)
    {
        try
        {
            step();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && command.StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (OperationCanceledException) when (command.StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (RpcException e)
        {
            LastTrailers = keepMetadata ? MetadataConverter.ToDictionary(e.Trailers) : null;
            command.WriteCallFailure(CallFailures.Explain(session, methodName, e), methodName);
            stream?.Abort();
        }
        catch (PluginException e)
        {
            command.WriteCallFailure(e, methodName);
            stream?.Abort();
        }
    }

    private CallOptions Options()
    {
        DateTime? deadline = settings.Timeout is { } timeout ? DateTime.UtcNow + timeout : null;
        Metadata? headers = settings.Metadata is null ? null : MetadataConverter.FromDictionary(settings.Metadata, PowerShellValueAdapter.Instance.Unwrap);
        return new CallOptions(headers, deadline, command.StopToken);
    }

    /// <summary>
    /// The request side of a client-streaming or bidi call: requests go through a bounded channel to a background
    /// writer, so the pipeline thread does not wait for each write; bidi responses are read in the background and
    /// written whenever the pipeline thread comes by.
    /// </summary>
    private abstract class RequestStream : IDisposable
    {
        public bool Failed { get; protected set; }

        /// <summary>Opens the stream; with -Raw its responses stay as bytes.</summary>
        public static RequestStream Start(MethodCallRunner runner) =>
            runner.Raw ? new RequestStream<byte[]>(runner) : new RequestStream<DynamicMessage>(runner);

        public abstract void Write(DynamicMessage request);

        public abstract void Finish();

        public abstract void Abort();

        public abstract void Dispose();
    }

    private sealed class RequestStream<TResponse> : RequestStream
        where TResponse : class
    {
        private readonly MethodCallRunner runner;
        private readonly System.Threading.Channels.Channel<DynamicMessage> outgoing =
            System.Threading.Channels.Channel.CreateBounded<DynamicMessage>(new System.Threading.Channels.BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });

        private readonly CancellationTokenSource cancel;
        private readonly AsyncClientStreamingCall<DynamicMessage, TResponse>? clientCall;
        private readonly AsyncDuplexStreamingCall<DynamicMessage, TResponse>? duplexCall;
        private readonly ResultQueue? results;
        private readonly Task writer;
        private readonly Task? reader;
        private bool aborted;

        public RequestStream(MethodCallRunner runner)
        {
            this.runner = runner;
            cancel = CancellationTokenSource.CreateLinkedTokenSource(runner.command.StopToken);
            Method<DynamicMessage, TResponse> definition = typeof(TResponse) == typeof(byte[])
                ? (Method<DynamicMessage, TResponse>)(object)DynamicMethods.RawFor(runner.method)
                : (Method<DynamicMessage, TResponse>)(object)DynamicMethods.For(runner.method);
            CallOptions options = runner.Options().WithCancellationToken(cancel.Token);
            IClientStreamWriter<DynamicMessage> requests;
            if (runner.method.IsServerStreaming)
            {
                duplexCall = runner.session.CallInvoker.AsyncDuplexStreamingCall(definition, null, options);
                requests = duplexCall.RequestStream;
                results = new ResultQueue();
                reader = runner.StartReading(duplexCall.ResponseStream, results, cancel.Token);
            }
            else
            {
                clientCall = runner.session.CallInvoker.AsyncClientStreamingCall(definition, null, options);
                requests = clientCall.RequestStream;
            }

            writer = Task.Run(() => WriteAllAsync(requests));
        }

        public override void Write(DynamicMessage request)
        {
            if (!outgoing.Writer.TryWrite(request))
            {
                try
                {
                    outgoing.Writer.WriteAsync(request, cancel.Token).AsTask().GetAwaiter().GetResult();
                }
                catch (System.Threading.Channels.ChannelClosedException)
                {
                    // The writer stopped (the call failed): Finish reports why.
                    Failed = true;
                }
            }

            results?.DrainAvailable(runner.WriteOutput);
        }

        public override void Finish()
        {
            outgoing.Writer.TryComplete();
            if (aborted)
            {
                return; // the error that ended the stream was written already
            }

            if (results is not null)
            {
                runner.DrainQueue(results, reader!);
                writer.GetAwaiter().GetResult();
                runner.Collect(duplexCall!.ResponseHeadersAsync, duplexCall.GetTrailers);
            }
            else
            {
                writer.GetAwaiter().GetResult();
                runner.WriteOutput(runner.Format(clientCall!.ResponseAsync.GetAwaiter().GetResult()));
                runner.Collect(clientCall.ResponseHeadersAsync, clientCall.GetTrailers);
            }
        }

        public override void Abort()
        {
            aborted = true;
            Failed = true;
            outgoing.Writer.TryComplete();
            cancel.Cancel();
        }

        public override void Dispose()
        {
            clientCall?.Dispose();
            duplexCall?.Dispose();
            results?.Dispose();
            cancel.Dispose();
        }

        private async Task WriteAllAsync(IClientStreamWriter<DynamicMessage> requests)
        {
            try
            {
                await foreach (DynamicMessage request in outgoing.Reader.ReadAllAsync(cancel.Token).ConfigureAwait(false))
                {
                    await requests.WriteAsync(request, cancel.Token).ConfigureAwait(false);
                }

                await requests.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Stop accepting requests; the call's own status (read at Finish) says what went wrong.
                Failed = true;
                outgoing.Writer.TryComplete(e);
                if (e is not (RpcException or OperationCanceledException or InvalidOperationException))
                {
                    throw;
                }
            }
        }
    }
}
