using System.Management.Automation;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Output;

/// <summary>The one place exceptions become ErrorRecords: stable ErrorIds, a fixed category map, the target kept.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(Exception exception, object? target)
    {
        if (exception is RpcPluginException failure)
        {
            ErrorCategory category = failure switch
            {
                PluginException plugin => Category(plugin.Code),
                RpcCallException call => Category(call.StatusCode),

                // A diagnostic about an attribute blames the value given for it; others, what was asked.
                TerraformDiagnosticException diagnostic => diagnostic.Attribute is null ? ErrorCategory.InvalidOperation : ErrorCategory.InvalidArgument,
                _ => ErrorCategory.NotSpecified,
            };
            var record = new ErrorRecord(failure, failure.ErrorId, category, target);
            if (failure.RecommendedAction is not null)
            {
                record.ErrorDetails = new ErrorDetails(failure.Message) { RecommendedAction = failure.RecommendedAction };
            }

            return record;
        }

        if (exception is ArgumentException)
        {
            return new ErrorRecord(exception, "RpcPlugin.InvalidArgument", ErrorCategory.InvalidArgument, target);
        }

        return new ErrorRecord(exception, "RpcPlugin.UnexpectedError", ErrorCategory.NotSpecified, target);
    }

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

    private static ErrorCategory Category(RpcStatusCode code) => code switch
    {
        RpcStatusCode.Unavailable => ErrorCategory.ConnectionError,
        RpcStatusCode.DeadlineExceeded => ErrorCategory.OperationTimeout,
        RpcStatusCode.NotFound => ErrorCategory.ObjectNotFound,
        RpcStatusCode.InvalidArgument or RpcStatusCode.OutOfRange => ErrorCategory.InvalidArgument,
        RpcStatusCode.Unauthenticated => ErrorCategory.AuthenticationError,
        RpcStatusCode.PermissionDenied => ErrorCategory.PermissionDenied,
        RpcStatusCode.AlreadyExists => ErrorCategory.ResourceExists,
        RpcStatusCode.ResourceExhausted => ErrorCategory.QuotaExceeded,
        RpcStatusCode.FailedPrecondition => ErrorCategory.InvalidOperation,
        RpcStatusCode.Unimplemented => ErrorCategory.NotImplemented,
        RpcStatusCode.Cancelled or RpcStatusCode.Aborted => ErrorCategory.OperationStopped,
        RpcStatusCode.DataLoss => ErrorCategory.InvalidData,
        _ => ErrorCategory.NotSpecified,
    };
}
