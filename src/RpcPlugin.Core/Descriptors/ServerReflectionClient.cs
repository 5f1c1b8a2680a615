using System;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;

namespace RpcPlugin.Core.Descriptors;

/// <summary>
/// Fetches a server's descriptors through gRPC server reflection: <c>grpc.reflection.v1</c>, or <c>v1alpha</c> for
/// servers that predate it (go-plugin plugins built with older grpc-go). Go plugins register reflection;
/// pyvider and go-plugin's Python example do not, and there users give .proto files or descriptor sets (PROTOCOL §4).
/// </summary>
public static class ServerReflectionClient
{
    /// <summary>The current reflection service.</summary>
    public const string V1Service = "grpc.reflection.v1.ServerReflection";

    /// <summary>The older reflection service, identical on the wire.</summary>
    public const string V1AlphaService = "grpc.reflection.v1alpha.ServerReflection";

    /// <summary>
    /// Lists the server's services and fetches the files that describe them, with all their imports, over one
    /// bidirectional stream. A server without reflection gives <see cref="ReflectionResult.NotSupported"/>; a
    /// request the server answers with an error is recorded in <see cref="ReflectionResult.Errors"/> and the rest
    /// of the fetch goes on. Internal go-plugin services are included: filtering them is the caller's business.
    /// </summary>
    /// <param name="invoker">The session's call invoker.</param>
    /// <param name="cancellationToken">Ends the fetch.</param>
    /// <exception cref="PluginException">
    /// <see cref="PluginErrorCode.ConnectionFailed"/> when the server cannot be reached,
    /// <see cref="PluginErrorCode.DescriptorInvalid"/> when the reflection call fails otherwise.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<ReflectionResult> FetchAsync(CallInvoker invoker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        foreach (string service in new[] { V1Service, V1AlphaService })
        {
            var exchange = new ReflectionExchange(invoker, service);
            try
            {
                return await exchange.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented && !exchange.HasAnswered)
            {
                // This server does not speak this version; try the next.
            }
            catch (RpcException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (RpcException e)
            {
                throw new PluginException(
                    e.StatusCode == StatusCode.Unavailable ? PluginErrorCode.ConnectionFailed : PluginErrorCode.DescriptorInvalid,
                    $"Server reflection ({service}) failed: {e.StatusCode}: {e.Status.Detail}",
                    e);
            }
        }

        return ReflectionResult.NotSupported;
    }
}
