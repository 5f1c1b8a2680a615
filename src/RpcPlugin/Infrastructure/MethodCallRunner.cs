using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf.Reflection;
using Grpc.Core;
using RpcPlugin.Core;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Commands;

/// <summary>
/// Carries out Invoke-RpcPluginMethod for one method: unary and server-streaming calls per request,
/// client-streaming and bidi calls as one stream fed by the pipeline. Everything written goes through the
/// command on the pipeline thread; bidi responses are written between requests, as they arrive.
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
    private readonly CancellationTokenSource cancel;
    private readonly ConcurrentQueue<object?> arrived = new();
    private readonly SemaphoreSlim signal = new(0);
    private AsyncClientStreamingCall<DynamicMessage, DynamicMessage>? clientStream;
    private AsyncDuplexStreamingCall<DynamicMessage, DynamicMessage>? duplex;
    private Task? duplexReader;
    private bool streamFailed;

    public MethodCallRunner(InvokeRpcPluginMethodCommand command, PluginSession session, DescriptorPool pool, MethodDescriptor method, CallSettings settings)
    {
        this.command = command;
        this.session = session;
        this.method = method;
        this.settings = settings;
        cancel = CancellationTokenSource.CreateLinkedTokenSource(command.StopToken);
        methodName = MethodResolver.FullName(method);
        builder = new MessageBuilder(PowerShellValueAdapter.Instance, pool.TypeResolver);
        formatter = new ResponseFormatter(settings.Form, pool);
    }

    public OrderedDictionary? LastHeaders { get; private set; }

    public OrderedDictionary? LastTrailers { get; private set; }

    private bool StreamsRequests => method.IsClientStreaming;

    /// <summary>Sends one request from the pipeline.</summary>
    public void Send(object? input)
    {
        if (StreamsRequests)
        {
            WriteToStream(input);
        }
        else
        {
            CallOnce(input);
        }
    }

    /// <summary>Sends what -Request holds (when nothing came through the pipeline): one request, or for a streaming method each element.</summary>
    public void SendRequestParameter(object? request)
    {
        if (!StreamsRequests)
        {
            CallOnce(request);
            return;
        }

        object? unwrapped = PowerShellValueAdapter.Instance.Unwrap(request);
        if (unwrapped is IEnumerable items and not string and not IDictionary)
        {
            foreach (object? item in items)
            {
                WriteToStream(item);
            }
        }
        else if (request is not null)
        {
            WriteToStream(request);
        }
    }

    /// <summary>Ends a request stream and writes what is still to come.</summary>
    public void Finish()
    {
        if (!StreamsRequests || streamFailed)
        {
            return;
        }

        try
        {
            if (clientStream is null && duplex is null)
            {
                StartStream();
            }

            if (clientStream is not null)
            {
                clientStream.RequestStream.CompleteAsync().GetAwaiter().GetResult();
                Write(clientStream.ResponseAsync.GetAwaiter().GetResult());
                Collect(clientStream.ResponseHeadersAsync, clientStream.GetTrailers);
            }
            else if (duplex is not null)
            {
                duplex.RequestStream.CompleteAsync().GetAwaiter().GetResult();
                WriteArrived(untilReaderEnds: true);
                duplexReader!.GetAwaiter().GetResult();
                Collect(duplex.ResponseHeadersAsync, duplex.GetTrailers);
            }
        }
        catch (Exception e) when (e is RpcException or PluginException or InvalidOperationException)
        {
            Fail(e);
        }
        catch (OperationCanceledException)
        {
            throw new System.Management.Automation.PipelineStoppedException();
        }
        finally
        {
            clientStream?.Dispose();
            duplex?.Dispose();
        }
    }

    public void Cancel() => cancel.Cancel();

    private void CallOnce(object? input)
    {
        DynamicMessage request;
        try
        {
            request = builder.Build(method.InputType, input);
        }
        catch (PluginException e)
        {
            command.WriteCallFailure(e, input);
            return;
        }

        try
        {
            if (method.IsServerStreaming)
            {
                StreamResponses(request);
            }
            else
            {
                using AsyncUnaryCall<DynamicMessage> call = session.CallInvoker.AsyncUnaryCall(DynamicMethods.For(method), null, Options(), request);
                Write(call.ResponseAsync.GetAwaiter().GetResult());
                Collect(call.ResponseHeadersAsync, call.GetTrailers);
            }
        }
        catch (Exception e) when (e is RpcException or PluginException)
        {
            Fail(e);
        }
    }

    private void StreamResponses(DynamicMessage request)
    {
        using AsyncServerStreamingCall<DynamicMessage> call = session.CallInvoker.AsyncServerStreamingCall(DynamicMethods.For(method), null, Options(), request);
        using (command.ShowLog(session))
        {
            // Read in the background so plugin log lines and responses reach the pipeline in arrival order.
            command.RunOnPipeline(async token =>
            {
                while (await call.ResponseStream.MoveNext(token).ConfigureAwait(false))
                {
                    DynamicMessage response = call.ResponseStream.Current;
                    await command.PostWithBackpressure(() => Write(response), token).ConfigureAwait(false);
                }

                return true;
            });
        }

        Collect(call.ResponseHeadersAsync, call.GetTrailers);
    }

    private void WriteToStream(object? input)
    {
        if (streamFailed)
        {
            return;
        }

        DynamicMessage request;
        try
        {
            request = builder.Build(method.InputType, input);
        }
        catch (PluginException e)
        {
            // One bad item must not send a partial stream: end it with an error.
            command.WriteCallFailure(e, input);
            AbortStream();
            return;
        }

        try
        {
            if (clientStream is null && duplex is null)
            {
                StartStream();
            }

            IClientStreamWriter<DynamicMessage> writer = clientStream?.RequestStream ?? duplex!.RequestStream;
            writer.WriteAsync(request, cancel.Token).GetAwaiter().GetResult();
            WriteArrived(untilReaderEnds: false);
        }
        catch (Exception e) when (e is RpcException or PluginException or InvalidOperationException)
        {
            Fail(e);
            AbortStream();
        }
        catch (OperationCanceledException)
        {
            AbortStream();
            throw new System.Management.Automation.PipelineStoppedException();
        }
    }

    private void StartStream()
    {
        if (method.IsServerStreaming)
        {
            duplex = session.CallInvoker.AsyncDuplexStreamingCall(DynamicMethods.For(method), null, Options());
            AsyncDuplexStreamingCall<DynamicMessage, DynamicMessage> call = duplex;
            duplexReader = Task.Run(async () =>
            {
                try
                {
                    while (await call.ResponseStream.MoveNext(cancel.Token).ConfigureAwait(false))
                    {
                        arrived.Enqueue(call.ResponseStream.Current);
                        signal.Release();
                    }
                }
                finally
                {
                    signal.Release();
                }
            });
        }
        else
        {
            clientStream = session.CallInvoker.AsyncClientStreamingCall(DynamicMethods.For(method), null, Options());
        }
    }

    private void WriteArrived(bool untilReaderEnds)
    {
        while (true)
        {
            while (arrived.TryDequeue(out object? response))
            {
                Write((DynamicMessage)response!);
            }

            if (!untilReaderEnds || duplexReader is null || duplexReader.IsCompleted && arrived.IsEmpty)
            {
                return;
            }

            signal.Wait(cancel.Token);
        }
    }

    private void AbortStream()
    {
        streamFailed = true;
        cancel.Cancel();
        clientStream?.Dispose();
        duplex?.Dispose();
    }

    private void Write(DynamicMessage response)
    {
        object? output;
        try
        {
            output = settings.Form == OutputForm.Raw ? DynamicCodec.Encode(response) : formatter.Format(response);
        }
        catch (ProtobufCodecException e)
        {
            command.WriteCallFailure(new PluginException(PluginErrorCode.InvalidResponse, $"A response of {methodName} could not be turned into output: {e.Message}", e), methodName);
            return;
        }

        if (output is not null)
        {
            command.WriteResult(output);
        }
    }

    private void Collect(Task<Metadata> headers, Func<Metadata> trailers)
    {
        LastHeaders = headers.IsCompletedSuccessfully ? MetadataConverter.ToDictionary(headers.Result) : null;
        LastTrailers = MetadataConverter.ToDictionary(trailers());
    }

    private void Fail(Exception e)
    {
        if (e is RpcException rpc)
        {
            if (rpc.StatusCode == StatusCode.Cancelled && (cancel.IsCancellationRequested || command.StopToken.IsCancellationRequested))
            {
                throw new System.Management.Automation.PipelineStoppedException();
            }

            LastTrailers = MetadataConverter.ToDictionary(rpc.Trailers);
            e = CallFailures.Explain(session, methodName, rpc);
        }

        command.WriteCallFailure(e, methodName);
    }

    private CallOptions Options()
    {
        CancellationToken token = cancel.Token;
        DateTime? deadline = settings.Timeout is { } timeout ? DateTime.UtcNow + timeout : null;
        Metadata? headers = settings.Metadata is null ? null : MetadataConverter.FromDictionary(settings.Metadata, PowerShellValueAdapter.Instance.Unwrap);
        return new CallOptions(headers, deadline, token);
    }
}
