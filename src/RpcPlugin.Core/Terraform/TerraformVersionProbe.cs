using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// Finds which provider protocol a provider reached by its address alone speaks (no handshake, no reattach config
/// says): the one whose service answers. A provider serves only its negotiated version's service, so the other's
/// calls end Unimplemented. GetMetadata is asked first (cheap); providers older than it are asked for their schema.
/// </summary>
internal static class TerraformVersionProbe
{
    public static async Task<int> DetectAsync(GrpcChannel channel, string name, DateTime deadline, CancellationToken cancellationToken)
    {
        CallInvoker invoker = channel.CreateCallInvoker();
        foreach (int version in new[] { 6, 5 })
        {
            ServiceDescriptor service = TerraformProtocol.FindProviderService(TerraformProtocol.GetPool(version), version);
            foreach (string method in new[] { "GetMetadata", version == 6 ? "GetProviderSchema" : "GetSchema" })
            {
                if (await AnswersAsync(invoker, service.FindMethodByName(method), name, deadline, cancellationToken).ConfigureAwait(false))
                {
                    return version;
                }
            }
        }

        throw new PluginException(PluginErrorCode.ProtocolVersionMismatch, $"The plugin '{name}' serves neither tfplugin6.Provider nor tfplugin5.Provider: it is not a Terraform provider of protocol 5 or 6.")
        {
            RecommendedAction = $"Connect without {HostTerms.Current.Terraform}, or use the provider's TF_REATTACH_PROVIDERS value, which says its protocol version.",
        };
    }

    private static async Task<bool> AnswersAsync(CallInvoker invoker, MethodDescriptor method, string name, DateTime deadline, CancellationToken cancellationToken)
    {
        try
        {
            // The raw form: only whether it answers matters, not what (a schema can be megabytes).
            using AsyncUnaryCall<byte[]> call = invoker.AsyncUnaryCall(DynamicMethods.RawFor(method), null, new CallOptions(deadline: deadline, cancellationToken: cancellationToken), new DynamicMessage(method.InputType));
            await call.ResponseAsync.ConfigureAwait(false);
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return false;
        }
        catch (RpcException e) when (e.StatusCode is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled))
        {
            return true; // the service is there, and failed on its own terms
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PluginException(PluginErrorCode.ConnectionFailed, $"The provider '{name}' did not answer when asked which protocol it speaks ({e.StatusCode}: {e.Status.Detail}).", e);
        }
    }
}
