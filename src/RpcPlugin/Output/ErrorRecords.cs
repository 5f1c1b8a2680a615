using System;
using System.Management.Automation;
using Grpc.Core;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Output;

/// <summary>The one place exceptions become ErrorRecords: stable ErrorIds, a fixed category map, the target kept.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(Exception exception, object? target)
    {
        if (exception is PluginException plugin)
        {
            var record = new ErrorRecord(plugin, plugin.ErrorId, Category(plugin.Code), target);
            if (plugin.RecommendedAction is not null)
            {
                record.ErrorDetails = new ErrorDetails(plugin.Message) { RecommendedAction = plugin.RecommendedAction };
            }

            return record;
        }

        if (exception is RpcCallException call)
        {
            var record = new ErrorRecord(call, call.ErrorId, Category(call.StatusCode), target);
            if (call.RecommendedAction is not null)
            {
                record.ErrorDetails = new ErrorDetails(call.Message) { RecommendedAction = call.RecommendedAction };
            }

            return record;
        }

        if (exception is ArgumentException)
        {
            return new ErrorRecord(exception, "RpcPlugin.InvalidArgument", ErrorCategory.InvalidArgument, target);
        }

        return new ErrorRecord(exception, "RpcPlugin.UnexpectedError", ErrorCategory.NotSpecified, target);
    }

    public static PluginException SessionNotFound(string message, string? action = null) =>
        new(PluginErrorCode.SessionNotFound, message) { RecommendedAction = action };

    private static ErrorCategory Category(PluginErrorCode code) => code switch
    {
        PluginErrorCode.PluginNotFound => ErrorCategory.ObjectNotFound,
        PluginErrorCode.PluginExited => ErrorCategory.ResourceUnavailable,
        PluginErrorCode.HandshakeTimeout => ErrorCategory.OperationTimeout,
        PluginErrorCode.HandshakeInvalid => ErrorCategory.InvalidData,
        PluginErrorCode.ProtocolVersionMismatch => ErrorCategory.ProtocolError,
        PluginErrorCode.MagicCookieRejected => ErrorCategory.InvalidArgument,
        PluginErrorCode.TlsFailure => ErrorCategory.SecurityError,
        PluginErrorCode.ConnectionFailed => ErrorCategory.ConnectionError,
        PluginErrorCode.SessionClosed => ErrorCategory.ResourceUnavailable,
        PluginErrorCode.SessionNotFound => ErrorCategory.ObjectNotFound,
        PluginErrorCode.ChecksumMismatch => ErrorCategory.SecurityError,
        PluginErrorCode.InvalidArgument => ErrorCategory.InvalidArgument,
        PluginErrorCode.DescriptorInvalid => ErrorCategory.InvalidData,
        PluginErrorCode.MethodNotFound => ErrorCategory.ObjectNotFound,
        PluginErrorCode.InvalidRequest => ErrorCategory.InvalidArgument,
        PluginErrorCode.InvalidResponse => ErrorCategory.InvalidResult,
        _ => ErrorCategory.NotSpecified,
    };

    private static ErrorCategory Category(StatusCode code) => code switch
    {
        StatusCode.Unavailable => ErrorCategory.ConnectionError,
        StatusCode.DeadlineExceeded => ErrorCategory.OperationTimeout,
        StatusCode.NotFound => ErrorCategory.ObjectNotFound,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => ErrorCategory.InvalidArgument,
        StatusCode.Unauthenticated => ErrorCategory.AuthenticationError,
        StatusCode.PermissionDenied => ErrorCategory.PermissionDenied,
        StatusCode.AlreadyExists => ErrorCategory.ResourceExists,
        StatusCode.ResourceExhausted => ErrorCategory.QuotaExceeded,
        StatusCode.FailedPrecondition => ErrorCategory.InvalidOperation,
        StatusCode.Unimplemented => ErrorCategory.NotImplemented,
        StatusCode.Cancelled or StatusCode.Aborted => ErrorCategory.OperationStopped,
        StatusCode.DataLoss => ErrorCategory.InvalidData,
        _ => ErrorCategory.NotSpecified,
    };
}
