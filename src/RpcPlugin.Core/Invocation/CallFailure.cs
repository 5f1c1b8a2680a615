using Grpc.Core;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Invocation;

/// <summary>
/// Says why a call failed in the user's terms: the session was stopped under it, the plugin died, a response did
/// not decode, or the plugin's own status.
/// </summary>
internal static class CallFailure
{
    private static readonly TimeSpan ExitNoticeWait = TimeSpan.FromMilliseconds(500);

    /// <summary>The error to report for a call to <paramref name="method"/> that ended with <paramref name="failure"/>.</summary>
    public static async Task<RpcPluginException> ExplainAsync(PluginSession session, string method, RpcException failure, IRecordFactory? detailFactory = null)
    {
        if (Find<ProtobufCodecException>(failure) is { } codec)
        {
            return new PluginException(
                PluginErrorCode.InvalidResponse,
                $"The response of {method} does not match the method's descriptor: {codec.Message}",
                failure)
            {
                RecommendedAction = $"The plugin and the descriptors this session uses disagree: check {HostTerms.Current.DescriptorSources} against the plugin's version.",
            };
        }

        // The session was stopped under the call: its channel was closed, which gRPC reports as a cancellation
        // or a transport failure. Say what really happened.
        if (session.StopRequested && failure.StatusCode is StatusCode.Cancelled or StatusCode.Unavailable or StatusCode.Internal)
        {
            return session.ClosedError();
        }

        // A status the plugin sent carries no DebugException; a broken transport does. If the plugin died, say so
        // (with its exit code and last words), not "Unavailable".
        if (failure.Status.DebugException is not null && await ExitedErrorAsync(session, $"during the call to {method}", failure).ConfigureAwait(false) is { } exited)
        {
            return exited;
        }

        // The connection had closed and redialling found nobody: say where we dialled, in the plugin's terms
        // (gRPC's own text names the URL's host, "localhost:80" for a unix socket).
        if (Find<PluginUnreachableException>(failure) is { } unreachable)
        {
            return new PluginException(
                PluginErrorCode.ConnectionFailed,
                $"The call to {method} could not reach the plugin '{session.Name}': {unreachable.Message}.",
                failure)
            {
                RecommendedAction = session.Owned
                    ? $"Start the plugin again with {HostTerms.Current.StartCommand}; {HostTerms.Current.LogCommand} shows everything it wrote."
                    : $"Check that the plugin still runs, then connect to it again with {HostTerms.Current.ConnectCommand}.",
            };
        }

        return Status(method, failure, session.TryGetDescriptors(out DescriptorPool? pool) ? pool : null, detailFactory);
    }

    /// <summary>
    /// The plugin's gRPC status as our exception type, with the trailers that came with it and the rich error
    /// details of a <c>grpc-status-details-bin</c> trailer (records made by <paramref name="detailFactory"/>; ordered
    /// dictionaries by default), the first of which the message names.
    /// </summary>
    public static RpcCallException Status(string method, RpcException failure, DescriptorPool? pool = null, IRecordFactory? detailFactory = null)
    {
        var code = (RpcStatusCode)(int)failure.StatusCode;
        string? hint = failure.StatusCode == StatusCode.ResourceExhausted && failure.Status.Detail.Contains("message size", StringComparison.OrdinalIgnoreCase)
            ? $"A message was larger than the session allows: start or connect it with a larger {HostTerms.Current.MaxMessageSize} (the default is unlimited)."
            : null;
        var trailers = MetadataConverter.ToDictionary(failure.Trailers);
        if (!StatusDetails.Present(failure))
        {
            return new RpcCallException(method, code, failure.Status.Detail, trailers, innerException: failure) { RecommendedAction = hint };
        }

        StatusDetails.Decoded details = StatusDetails.Decode(failure, pool, detailFactory ?? DictionaryRecordFactory.Instance);
        return new RpcCallException(method, code, failure.Status.Detail, trailers, RpcCallException.DefaultMessage(method, code, failure.Status.Detail).TrimEnd('.') + "." + details.Sentence, failure)
        {
            RecommendedAction = hint ?? details.RetryHint,
            Details = details.Records,
        };
    }

    /// <summary>
    /// When the plugin died by itself (not by a stop), the error that says so with its exit code and last stderr
    /// lines, for a failure <paramref name="during"/> something; null when it did not. Waits a moment for the exit
    /// to be seen: a broken connection is often noticed before the process is reaped.
    /// </summary>
    public static async Task<PluginException?> ExitedErrorAsync(PluginSession session, string during, Exception failure)
    {
        await Task.WhenAny(session.Closed, Task.Delay(ExitNoticeWait)).ConfigureAwait(false);
        if (!session.Closed.IsCompleted && session.ProcessAlive == false)
        {
            // Dead, and its last output still being read: the session says it exited once that is in the log.
            await Task.WhenAny(session.Closed, Task.Delay(PluginSession.OutputDrainWait)).ConfigureAwait(false);
        }

        if (session.State != RpcPluginSessionState.Exited || session.StopRequested)
        {
            return null;
        }

        session.TakeExitNotice(); // this error says it already
        return new PluginException(
            PluginErrorCode.PluginExited,
            $"The plugin '{session.Name}' exited{(session.ExitCode is int code ? $" (exit code {code})" : string.Empty)} {during}.{(session.Owned ? session.Log.DescribeStderrTail() : string.Empty)}",
            failure)
        {
            ExitCode = session.ExitCode,
            StderrTail = session.Log.StderrTail(),
            RecommendedAction = $"Start the plugin again with {HostTerms.Current.StartCommand}; {HostTerms.Current.LogCommand} shows everything it wrote.",
        };
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
