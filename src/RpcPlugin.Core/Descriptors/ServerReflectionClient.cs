using Grpc.Core;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// Fetches a server's descriptors through gRPC server reflection: <c>grpc.reflection.v1</c>, or <c>v1alpha</c> for
/// servers that predate it (go-plugin plugins built with older grpc-go). Go plugins register reflection;
/// pyvider and go-plugin's Python example do not, and there users give .proto files or descriptor sets (docs/protocol.md §4).
/// </summary>
public static class ServerReflectionClient
{
    /// <summary>The current reflection service.</summary>
    public const string V1Service = "grpc.reflection.v1.ServerReflection";

    /// <summary>The older reflection service, identical on the wire.</summary>
    public const string V1AlphaService = "grpc.reflection.v1alpha.ServerReflection";

    /// <summary>
    /// How long a reflection request may stay unanswered before the stream is given up and the fetch retried on a
    /// new one. A healthy server answers in milliseconds; this bounds the rare stream whose request never reaches
    /// the server (seen under heavy load), which would otherwise wait for ever.
    /// </summary>
    public static readonly TimeSpan DefaultAnswerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Lists the server's services and fetches the files that describe them, with all their imports, over one
    /// bidirectional stream. A server without reflection gives <see cref="ReflectionResult.NotSupported"/>; a
    /// request the server answers with an error is recorded in <see cref="ReflectionResult.Errors"/> and the rest
    /// of the fetch goes on. Internal go-plugin services are included: filtering them is the caller's business.
    /// A stream left unanswered for <paramref name="answerTimeout"/> is retried once on a new stream.
    /// </summary>
    /// <param name="invoker">The session's call invoker.</param>
    /// <param name="cancellationToken">Ends the fetch.</param>
    /// <param name="answerTimeout">How long one request may stay unanswered; <see cref="DefaultAnswerTimeout"/> when null.</param>
    /// <exception cref="PluginException">
    /// <see cref="PluginErrorCode.ConnectionFailed"/> when the server cannot be reached or leaves reflection
    /// unanswered twice, <see cref="PluginErrorCode.DescriptorInvalid"/> when the reflection call fails otherwise.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<ReflectionResult> FetchAsync(CallInvoker invoker, CancellationToken cancellationToken = default, TimeSpan? answerTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        TimeSpan timeout = answerTimeout ?? DefaultAnswerTimeout;

        // One async method for both versions and the retry: each async method costs JIT work in a new process.
        const int attempts = 2;
        string service = V1Service;
        for (int attempt = 1; ; attempt++)
        {
            var exchange = new ReflectionExchange(invoker, service);
            try
            {
                return await exchange.RunAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (ReflectionSilenceException) when (attempt < attempts)
            {
                // Try a fresh stream: the silent one may have lost its request.
            }
            catch (ReflectionSilenceException e)
            {
                throw new PluginException(
                    PluginErrorCode.ConnectionFailed,
                    $"The plugin did not answer server reflection: {e.Message} It did the same on {attempts} streams, so it is overloaded or stuck. Check it with {HostTerms.Current.TestCommand}, or give its .proto files with {HostTerms.Current.DescriptorSources} so that no reflection is needed.",
                    e);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented && !exchange.HasAnswered)
            {
                // The server does not speak this version: the older one next, or none at all.
                if (service == V1AlphaService)
                {
                    return ReflectionResult.NotSupported;
                }

                service = V1AlphaService;
                attempt = 0;
            }
            catch (RpcException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The reflection fetch was cancelled.", e, cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // The channel was closed under the exchange (the session is stopping).
                throw new PluginException(PluginErrorCode.ConnectionFailed, $"Server reflection ({service}) failed: the connection closed ({e.Message}).", e);
            }
            catch (RpcException e)
            {
                throw new PluginException(
                    e.StatusCode == StatusCode.Unavailable ? PluginErrorCode.ConnectionFailed : PluginErrorCode.DescriptorInvalid,
                    $"Server reflection ({service}) failed: {e.StatusCode}: {e.Status.Detail}",
                    e);
            }
        }
    }
}
