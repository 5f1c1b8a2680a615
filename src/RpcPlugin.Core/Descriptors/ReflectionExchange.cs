using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Reflection.V1;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// One reflection conversation on one stream. v1 and v1alpha messages are identical on the wire, so the v1
/// message types serve both; only the method's service name differs. Requests are pipelined and answers
/// taken in order (the protocol answers each request once, in order), each file requested at most once.
/// </summary>
internal sealed class ReflectionExchange
{
    private static readonly Marshaller<ServerReflectionRequest> RequestMarshaller =
        Marshallers.Create(r => r.ToByteArray(), ServerReflectionRequest.Parser.ParseFrom);

    private static readonly Marshaller<ServerReflectionResponse> ResponseMarshaller =
        Marshallers.Create(r => r.ToByteArray(), ServerReflectionResponse.Parser.ParseFrom);

    private readonly CallInvoker invoker;
    private readonly Method<ServerReflectionRequest, ServerReflectionResponse> method;
    private readonly string serviceName;
    private readonly List<FileDescriptorProto> files = new();
    private readonly HashSet<string> requested = new(StringComparer.Ordinal);
    private readonly HashSet<string> requestedSymbols = new(StringComparer.Ordinal);
    private readonly List<string> services = new();
    private readonly List<string> errors = new();
    private readonly Queue<ServerReflectionRequest> outstanding = new();

    public ReflectionExchange(CallInvoker invoker, string serviceName)
    {
        this.invoker = invoker;
        this.serviceName = serviceName;
        method = new Method<ServerReflectionRequest, ServerReflectionResponse>(
            MethodType.DuplexStreaming, serviceName, "ServerReflectionInfo", RequestMarshaller, ResponseMarshaller);
    }

    /// <summary>Whether the server has answered anything; after that an UNIMPLEMENTED is not "no such version".</summary>
    public bool HasAnswered { get; private set; }

    /// <summary>
    /// Runs the conversation. Every wait is bounded by <paramref name="answerTimeout"/> from the last answer: a
    /// server that leaves a request unanswered that long ends the exchange with <see cref="ReflectionSilenceException"/>.
    /// </summary>
    /// <remarks>
    /// One async method for the whole conversation, writes included: in a new process each async method costs
    /// several JIT-compiled generic instantiations, and the first call of a script waits for this one.
    /// </remarks>
    public async Task<ReflectionResult> RunAsync(TimeSpan answerTimeout, CancellationToken cancellationToken)
    {
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        silence.CancelAfter(answerTimeout);
        try
        {
            using var call = invoker.AsyncDuplexStreamingCall(method, null, new CallOptions(cancellationToken: silence.Token));
            List<ServerReflectionRequest> next = new() { new ServerReflectionRequest { ListServices = string.Empty } };
            while (true)
            {
                foreach (ServerReflectionRequest request in next)
                {
                    outstanding.Enqueue(request);
                    try
                    {
                        await call.RequestStream.WriteAsync(request).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is InvalidOperationException or RpcException)
                    {
                        // The call is already over (e.g. UNIMPLEMENTED arrived first, and the write then fails as
                        // cancelled); reading the response stream reports its real status.
                    }
                }

                if (outstanding.Count == 0)
                {
                    break;
                }

                if (!await call.ResponseStream.MoveNext(silence.Token).ConfigureAwait(false))
                {
                    errors.Add($"The server ended the reflection stream with {outstanding.Count} request(s) unanswered.");
                    break;
                }

                HasAnswered = true;
                silence.CancelAfter(answerTimeout);
                next = Handle(call.ResponseStream.Current, outstanding.Dequeue());
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);

            // Read the stream to its end so the call finishes cleanly rather than being cancelled on dispose.
            while (await call.ResponseStream.MoveNext(silence.Token).ConfigureAwait(false))
            {
            }

            return new ReflectionResult(serviceName, services, files, errors);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException && silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ReflectionSilenceException(serviceName, answerTimeout, HasAnswered, e);
        }
    }

    private List<ServerReflectionRequest> Handle(ServerReflectionResponse response, ServerReflectionRequest request)
    {
        var next = new List<ServerReflectionRequest>();
        switch (response.MessageResponseCase)
        {
            case ServerReflectionResponse.MessageResponseOneofCase.ListServicesResponse:
                foreach (string name in response.ListServicesResponse.Service.Select(s => s.Name))
                {
                    services.Add(name);
                    if (requestedSymbols.Add(name))
                    {
                        next.Add(new ServerReflectionRequest { FileContainingSymbol = name });
                    }
                }

                break;
            case ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse:
                next.AddRange(Receive(response.FileDescriptorResponse.FileDescriptorProto, request));
                break;
            case ServerReflectionResponse.MessageResponseOneofCase.ErrorResponse:
                var error = response.ErrorResponse;
                errors.Add($"{Describe(request)}: {(StatusCode)error.ErrorCode}: {error.ErrorMessage}");
                break;
        }

        return next;
    }

    /// <summary>Keeps the files not seen yet (an answer may carry several) and asks for imports still missing.</summary>
    private IEnumerable<ServerReflectionRequest> Receive(IEnumerable<ByteString> encoded, ServerReflectionRequest request)
    {
        var fresh = new List<FileDescriptorProto>();
        foreach (var bytes in encoded)
        {
            FileDescriptorProto proto;
            try
            {
                proto = FileDescriptorProto.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException e)
            {
                errors.Add($"{Describe(request)}: the server sent a file descriptor that cannot be read: {e.Message}");
                continue;
            }

            requested.Add(proto.Name);
            if (files.All(f => f.Name != proto.Name))
            {
                files.Add(proto);
                fresh.Add(proto);
            }
        }

        return fresh
            .SelectMany(f => f.Dependency)
            .Where(requested.Add)
            .Select(name => new ServerReflectionRequest { FileByFilename = name })
            .ToList();
    }

    private static string Describe(ServerReflectionRequest request) => request.MessageRequestCase switch
    {
        ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol => $"Describing '{request.FileContainingSymbol}'",
        ServerReflectionRequest.MessageRequestOneofCase.FileByFilename => $"Fetching the file '{request.FileByFilename}'",
        ServerReflectionRequest.MessageRequestOneofCase.ListServices => "Listing the services",
        _ => request.MessageRequestCase.ToString(),
    };
}
