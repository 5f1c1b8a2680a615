using System;
using Grpc.Core;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Sessions;

namespace RpcPlugin.Calls;

/// <summary>Says why a call failed in the user's terms: the plugin died, a response did not decode, or the plugin's own status.</summary>
internal static class CallFailures
{
    public static Exception Explain(PluginSession session, string method, RpcException failure)
    {
        if (Find<ProtobufCodecException>(failure) is { } codec)
        {
            return new PluginException(
                PluginErrorCode.InvalidResponse,
                $"The response of {method} does not match the method's descriptor: {codec.Message}",
                failure)
            {
                RecommendedAction = "The plugin and the descriptors this session uses disagree: check -ProtoFile / -DescriptorSet against the plugin's version.",
            };
        }

        // The session was stopped under the call: its channel was closed, which gRPC reports as a cancellation
        // or a transport failure. Say what really happened.
        if (session.StopRequested && failure.StatusCode is StatusCode.Cancelled or StatusCode.Unavailable or StatusCode.Internal)
        {
            return session.ClosedError();
        }

        // A status the plugin sent carries no DebugException; a broken transport does.
        if (failure.Status.DebugException is not null)
        {
            // If the plugin died, say so (with its exit code and last words), not "Unavailable".
            session.Closed.Wait(TimeSpan.FromMilliseconds(500));
            if (session.State == RpcPluginSessionState.Exited && !session.StopRequested)
            {
                session.TakeExitNotice(); // this error says it already
                return new PluginException(
                    PluginErrorCode.PluginExited,
                    $"The plugin '{session.Name}' exited{(session.ExitCode is int code ? $" (exit code {code})" : string.Empty)} during the call to {method}.{(session.Owned ? session.Log.DescribeStderrTail() : string.Empty)}",
                    failure)
                {
                    ExitCode = session.ExitCode,
                    StderrTail = session.Log.StderrTail(),
                    RecommendedAction = "Start the plugin again with Start-RpcPlugin; Get-RpcPluginLog shows everything it wrote.",
                };
            }
        }

        if (failure.StatusCode == StatusCode.ResourceExhausted && failure.Status.Detail.Contains("message size", StringComparison.OrdinalIgnoreCase))
        {
            return new RpcCallException(method, failure)
            {
                RecommendedAction = "A message was larger than the session allows: start or connect it with a larger -MaxMessageSize (the default is unlimited).",
            };
        }

        return new RpcCallException(method, failure);
    }

    private static T? Find<T>(RpcException failure)
        where T : Exception
    {
        for (Exception? e = failure.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }
}
