using System.Runtime.CompilerServices;
using Google.Protobuf.Reflection;
using Grpc.Core;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Sessions;

namespace RpcPlugin.Core.Invocation;

/// <summary>
/// Calls one method of a plugin with dynamic messages, in the method's own shape: unary and server-streaming
/// calls take one request; client-streaming and bidi calls read their requests from an asynchronous source while
/// responses come back as they arrive. Responses are <see cref="DynamicMessage"/>s, or byte[] with
/// <see cref="ResponseForm.Raw"/>. A failure surfaces as an <see cref="RpcPluginException"/> that says what
/// happened in the user's terms (<see cref="RpcCallException"/> for the plugin's own status); cancellation by the
/// caller's token as <see cref="OperationCanceledException"/>. One instance serves one caller at a time.
/// </summary>
public sealed class DynamicCall
{
    private readonly PluginSession session;
    private readonly DynamicCallOptions options;
    private readonly Metadata? headers;

    /// <summary>Prepares calls of <paramref name="method"/> on <paramref name="session"/>.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/> for metadata gRPC cannot carry (nothing is sent).</exception>
    public DynamicCall(PluginSession session, MethodDescriptor method, DynamicCallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(method);
        this.session = session;
        this.options = options ?? new DynamicCallOptions();
        Method = method;
        Name = MethodResolver.FullName(method);
        Kind = ServiceCatalog.Kind(method);
        headers = this.options.Metadata is null ? null : MetadataConverter.FromDictionary(this.options.Metadata, this.options.Adapter.Unwrap);
    }

    /// <summary>The method called.</summary>
    public MethodDescriptor Method { get; }

    private CallInvoker Invoker => options.Internal ? session.InternalCallInvoker : session.CallInvoker;

    /// <summary>The method as users name it: <c>package.Service/Method</c>.</summary>
    public string Name { get; }

    /// <summary>The method's call shape.</summary>
    public RpcMethodKind Kind { get; }

    /// <summary>The headers and trailers of the last call that ended, failed ones included (with <see cref="DynamicCallOptions.CaptureMetadata"/>).</summary>
    public CallMetadata? LastMetadata { get; private set; }

    /// <summary>The deadline <see cref="DynamicCallOptions.Timeout"/> gives a call that starts now.</summary>
    public DateTime? NextDeadline() => options.Timeout is { } timeout ? DateTime.UtcNow + timeout : null;

    /// <summary>What the last call that ended did (with <see cref="DynamicCallOptions.Report"/>), failed ones included.</summary>
    public CallReport? LastReport { get; private set; }

    /// <summary>A unary call: one request, one response.</summary>
    public Task<object> UnaryAsync(DynamicMessage request, DateTime? deadline, CancellationToken cancellationToken = default)
    {
        if (!options.Report)
        {
            return StartUnary(request, deadline, cancellationToken);
        }

        var recorder = new CallRecorder(this);
        recorder.Request(request);
        return ReportAsync(StartUnary(request, deadline, cancellationToken), recorder);
    }

    /// <summary>A server-streaming call: one request, the responses as they arrive.</summary>
    public IAsyncEnumerable<object> ServerStreamAsync(DynamicMessage request, DateTime? deadline, CancellationToken cancellationToken = default)
    {
        IAsyncEnumerable<object> responses = options.Form == ResponseForm.Raw
            ? ServerStreamAsync(DynamicMethods.RawFor(Method), request, deadline, cancellationToken)
            : ServerStreamAsync(DynamicMethods.For(Method), request, deadline, cancellationToken);
        if (!options.Report)
        {
            return responses;
        }

        var recorder = new CallRecorder(this);
        recorder.Request(request);
        return ReportAsync(responses, recorder, cancellationToken);
    }

    /// <summary>
    /// A client-streaming or bidi call: the requests are read from <paramref name="requests"/> while the call runs;
    /// the responses (one for client streaming) come back as they arrive. A failure ends the enumeration at once,
    /// however many requests are still to come; a failure of the request source ends the call and surfaces as itself.
    /// </summary>
    public IAsyncEnumerable<object> StreamAsync(IAsyncEnumerable<DynamicMessage> requests, DateTime? deadline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (!Method.IsClientStreaming)
        {
            throw new InvalidOperationException($"{Name} takes one request per call: use {nameof(UnaryAsync)} or {nameof(ServerStreamAsync)}.");
        }

        CallRecorder? recorder = options.Report ? new CallRecorder(this) : null;
        if (recorder is not null)
        {
            requests = recorder.Count(requests);
        }

        IAsyncEnumerable<object> responses = (options.Form, Method.IsServerStreaming) switch
        {
            (ResponseForm.Raw, true) => DuplexAsync(DynamicMethods.RawFor(Method), requests, deadline, cancellationToken),
            (ResponseForm.Raw, false) => ClientStreamAsync(DynamicMethods.RawFor(Method), requests, deadline, cancellationToken),
            (_, true) => DuplexAsync(DynamicMethods.For(Method), requests, deadline, cancellationToken),
            _ => ClientStreamAsync(DynamicMethods.For(Method), requests, deadline, cancellationToken),
        };
        return recorder is null ? responses : ReportAsync(responses, recorder, cancellationToken);
    }

    /// <summary>
    /// Every shape through one door: the responses to <paramref name="requests"/>, one call per request for unary and
    /// server-streaming methods (each with its own deadline), one stream for the others.
    /// </summary>
    public async IAsyncEnumerable<object> InvokeAsync(IAsyncEnumerable<DynamicMessage> requests, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (Method.IsClientStreaming)
        {
            await foreach (object response in StreamAsync(requests, NextDeadline(), cancellationToken).ConfigureAwait(false))
            {
                yield return response;
            }

            yield break;
        }

        await foreach (DynamicMessage request in requests.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!Method.IsServerStreaming)
            {
                yield return await UnaryAsync(request, NextDeadline(), cancellationToken).ConfigureAwait(false);
                continue;
            }

            await foreach (object response in ServerStreamAsync(request, NextDeadline(), cancellationToken).ConfigureAwait(false))
            {
                yield return response;
            }
        }
    }

    private Task<object> StartUnary(DynamicMessage request, DateTime? deadline, CancellationToken cancellationToken) =>
        options.Form == ResponseForm.Raw
            ? UnaryAsync(DynamicMethods.RawFor(Method), request, deadline, cancellationToken)
            : UnaryAsync(DynamicMethods.For(Method), request, deadline, cancellationToken);

    private async Task<object> ReportAsync(Task<object> call, CallRecorder recorder)
    {
        object response;
        try
        {
            response = await call.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LastReport = recorder.Failed(e, LastMetadata);
            throw;
        }

        recorder.Response(response);
        LastReport = recorder.Succeeded(LastMetadata);
        return response;
    }

    /// <summary>The responses of a stream, counted and timed; the report is ready when the enumeration ends, however it ends.</summary>
    private async IAsyncEnumerable<object> ReportAsync(IAsyncEnumerable<object> responses, CallRecorder recorder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        recorder.Start();
        await using IAsyncEnumerator<object> reader = responses.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await reader.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (Exception e)
            {
                LastReport = recorder.Failed(e, LastMetadata);
                throw;
            }

            recorder.Response(reader.Current);
            yield return reader.Current;
        }

        LastReport = recorder.Succeeded(LastMetadata);
    }

    private async Task<object> UnaryAsync<T>(Method<DynamicMessage, T> method, DynamicMessage request, DateTime? deadline, CancellationToken cancellationToken)
        where T : class
    {
        using AsyncUnaryCall<T> call = Begin(() => Invoker.AsyncUnaryCall(method, null, Options(deadline, cancellationToken), request));
        T response;
        try
        {
            response = await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw await FailAsync(e, call.ResponseHeadersAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnexplained(e))
        {
            throw Unexplained(e);
        }

        Capture(call.ResponseHeadersAsync, call.GetTrailers());
        return response;
    }

    private async IAsyncEnumerable<object> ServerStreamAsync<T>(Method<DynamicMessage, T> method, DynamicMessage request, DateTime? deadline, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        using AsyncServerStreamingCall<T> call = Begin(() => Invoker.AsyncServerStreamingCall(method, null, Options(deadline, cancellationToken), request));
        IAsyncStreamReader<T> responses = call.ResponseStream;
        while (await NextAsync(responses, call.ResponseHeadersAsync, cancellationToken).ConfigureAwait(false))
        {
            yield return responses.Current;
        }

        Capture(call.ResponseHeadersAsync, call.GetTrailers());
    }

    private async IAsyncEnumerable<object> ClientStreamAsync<T>(Method<DynamicMessage, T> method, IAsyncEnumerable<DynamicMessage> requests, DateTime? deadline, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using AsyncClientStreamingCall<DynamicMessage, T> call = Begin(() => Invoker.AsyncClientStreamingCall(method, null, Options(deadline, stop.Token)));
        var writer = new RequestPump(requests, call.RequestStream, stop);
        T response;
        try
        {
            response = await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            await writer.StopAsync().ConfigureAwait(false);
            throw await FailAsync(e, call.ResponseHeadersAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnexplained(e))
        {
            await writer.StopAsync().ConfigureAwait(false);
            throw Unexplained(e);
        }

        // A plugin may answer before the last request: the rest is not wanted, so the pump stops reading.
        await writer.StopAsync().ConfigureAwait(false);
        Capture(call.ResponseHeadersAsync, call.GetTrailers());
        yield return response;
    }

    private async IAsyncEnumerable<object> DuplexAsync<T>(Method<DynamicMessage, T> method, IAsyncEnumerable<DynamicMessage> requests, DateTime? deadline, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using AsyncDuplexStreamingCall<DynamicMessage, T> call = Begin(() => Invoker.AsyncDuplexStreamingCall(method, null, Options(deadline, stop.Token)));
        var writer = new RequestPump(requests, call.RequestStream, stop);
        try
        {
            IAsyncStreamReader<T> responses = call.ResponseStream;
            while (await NextAsync(responses, call.ResponseHeadersAsync, cancellationToken, writer).ConfigureAwait(false))
            {
                yield return responses.Current;
            }
        }
        finally
        {
            // Also when the caller stops reading early: nothing may go on writing behind its back.
            await writer.StopAsync().ConfigureAwait(false);
        }

        Capture(call.ResponseHeadersAsync, call.GetTrailers());
    }

    /// <summary>Reads the next response, turning a failure into the user's error (after the request pump, if any, has stopped).</summary>
    private async Task<bool> NextAsync<T>(IAsyncStreamReader<T> responses, Task<Metadata> responseHeaders, CancellationToken cancellationToken, RequestPump? writer = null)
        where T : class
    {
        try
        {
            return await responses.MoveNext(CancellationToken.None).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            if (writer is not null)
            {
                await writer.StopAsync().ConfigureAwait(false);
            }

            throw await FailAsync(e, responseHeaders, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnexplained(e))
        {
            if (writer is not null)
            {
                await writer.StopAsync().ConfigureAwait(false);
            }

            throw Unexplained(e);
        }
    }

    /// <summary>
    /// Starts a call on the session's channel. A stop between taking the invoker and starting the call disposes the
    /// channel under it (ObjectDisposedException): that is the session's error too, like a failure once under way.
    /// </summary>
    private TCall Begin<TCall>(Func<TCall> start)
    {
        try
        {
            return start();
        }
        catch (Exception e) when (IsUnexplained(e))
        {
            throw Unexplained(e);
        }
    }

    private static bool IsUnexplained(Exception e) => e is not (RpcPluginException or OperationCanceledException);

    /// <summary>
    /// A failure gRPC did not turn into a status (a channel disposed under the call, a transport error): still the
    /// user's kind of error, never a bare .NET exception.
    /// </summary>
    private RpcPluginException Unexplained(Exception failure) =>
        session.State != RpcPluginSessionState.Ready
            ? session.ClosedError()
            : new PluginException(PluginErrorCode.ConnectionFailed, $"The call to {Name} failed: {failure.Message}", failure);

    private CallOptions Options(DateTime? deadline, CancellationToken cancellationToken) => new(headers, deadline, cancellationToken);

    private async Task<Exception> FailAsync(RpcException failure, Task<Metadata> responseHeaders, CancellationToken cancellationToken)
    {
        Capture(responseHeaders, failure.Trailers);
        if (failure.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("The call was cancelled.", failure, cancellationToken);
        }

        return await CallFailure.ExplainAsync(session, Name, failure, options.DetailFactory).ConfigureAwait(false);
    }

    private void Capture(Task<Metadata> responseHeaders, Metadata? trailers)
    {
        if (options.CaptureMetadata || options.Report)
        {
            // Headers that arrived before a failure are kept; a trailers-only answer has none.
            var received = responseHeaders.IsCompletedSuccessfully ? MetadataConverter.ToDictionary(responseHeaders.Result) : null;
            LastMetadata = new CallMetadata(received, MetadataConverter.ToDictionary(trailers));
        }
    }
}
