namespace RpcPlugin;

/// <summary>
/// A gRPC status code, named and numbered as gRPC names them (<c>NotFound</c> is 5). Our own type, so that this
/// assembly needs no gRPC library; the names are those of <c>Grpc.Core.StatusCode</c>.
/// </summary>
public enum RpcStatusCode
{
    /// <summary>Not an error.</summary>
    OK = 0,

    /// <summary>The call was cancelled, usually by the caller.</summary>
    Cancelled = 1,

    /// <summary>An error the server could not classify.</summary>
    Unknown = 2,

    /// <summary>The request was invalid, whatever the server's state.</summary>
    InvalidArgument = 3,

    /// <summary>The deadline passed before the call completed.</summary>
    DeadlineExceeded = 4,

    /// <summary>Something the request named was not found.</summary>
    NotFound = 5,

    /// <summary>Something the request would create exists already.</summary>
    AlreadyExists = 6,

    /// <summary>The caller may not do this.</summary>
    PermissionDenied = 7,

    /// <summary>A quota or limit (such as a message size) was exhausted.</summary>
    ResourceExhausted = 8,

    /// <summary>The server is not in the state the call needs.</summary>
    FailedPrecondition = 9,

    /// <summary>The call was aborted, typically by a concurrency conflict.</summary>
    Aborted = 10,

    /// <summary>A value was outside its valid range.</summary>
    OutOfRange = 11,

    /// <summary>The server does not implement the method.</summary>
    Unimplemented = 12,

    /// <summary>The server broke an invariant.</summary>
    Internal = 13,

    /// <summary>The server cannot be reached or is shutting down.</summary>
    Unavailable = 14,

    /// <summary>Data was lost or corrupted.</summary>
    DataLoss = 15,

    /// <summary>The caller is not authenticated.</summary>
    Unauthenticated = 16,
}
