using System.Diagnostics;
using System.Runtime.CompilerServices;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Core.Invocation;

/// <summary>
/// Counts and times one call for its <see cref="CallReport"/>. Only calls whose options ask for a report make one,
/// so a call nobody watches pays nothing. Requests are counted by the request pump and responses by the reader,
/// each in its own fields; the report is read once the call is over.
/// </summary>
internal sealed class CallRecorder
{
    private readonly DynamicCall call;
    private long started = Stopwatch.GetTimestamp();
    private int requests;
    private long requestBytes;
    private int responses;
    private long responseBytes;

    public CallRecorder(DynamicCall call)
    {
        this.call = call;
    }

    /// <summary>Counts the call from now (a stream starts when it is first read).</summary>
    public void Start() => started = Stopwatch.GetTimestamp();

    public void Request(DynamicMessage request)
    {
        requests++;
        requestBytes += DynamicCodec.CalculateSize(request);
    }

    public void Response(object response)
    {
        responses++;
        responseBytes += response switch
        {
            byte[] raw => raw.Length,
            DynamicMessage message => DynamicCodec.CalculateSize(message),
            _ => 0,
        };
    }

    /// <summary>The requests of a stream, counted as they go.</summary>
    public async IAsyncEnumerable<DynamicMessage> Count(IAsyncEnumerable<DynamicMessage> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (DynamicMessage request in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Request(request);
            yield return request;
        }
    }

    public CallReport Succeeded(CallMetadata? metadata) => Report(RpcStatusCode.OK, null, metadata);

    public CallReport Failed(Exception failure, CallMetadata? metadata) => failure switch
    {
        RpcCallException status => Report(status.StatusCode, status.ErrorId, metadata),
        OperationCanceledException => Report(RpcStatusCode.Cancelled, null, metadata),
        RpcPluginException other => Report(null, other.ErrorId, metadata),
        _ => Report(null, failure.GetType().Name, metadata),
    };

    private CallReport Report(RpcStatusCode? status, string? failure, CallMetadata? metadata) => new(
        call.Name,
        call.Kind,
        requests,
        requestBytes,
        responses,
        responseBytes,
        status,
        failure,
        Stopwatch.GetElapsedTime(started),
        metadata);
}
