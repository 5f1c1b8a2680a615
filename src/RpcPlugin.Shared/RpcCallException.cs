using System.Collections.Specialized;

namespace RpcPlugin;

/// <summary>
/// A gRPC call that ended with a status other than OK. Its ErrorId is <c>RpcPlugin.Rpc.&lt;StatusCode&gt;</c>
/// (<c>RpcPlugin.Rpc.NotFound</c>); the status detail, the trailers and the decoded rich error details travel
/// with it. Scripts can <c>catch [RpcPlugin.RpcCallException]</c>.
/// </summary>
public sealed class RpcCallException : RpcPluginException
{
    /// <summary>Creates the exception for a call to <paramref name="method"/> that ended with <paramref name="statusCode"/>.</summary>
    /// <param name="method">The method, as <c>package.Service/Method</c>.</param>
    /// <param name="statusCode">The status the call ended with.</param>
    /// <param name="detail">The status message.</param>
    /// <param name="trailers">The trailers that came with the status.</param>
    /// <param name="message">The message to show; by default one built from the method, status and detail.</param>
    /// <param name="innerException">The failure underneath, if any.</param>
    public RpcCallException(string method, RpcStatusCode statusCode, string detail, OrderedDictionary? trailers, string? message = null, Exception? innerException = null)
        : base("RpcPlugin.Rpc." + statusCode, message ?? DefaultMessage(method, statusCode, detail), innerException)
    {
        Method = method;
        StatusCode = statusCode;
        Detail = detail;
        Trailers = trailers ?? new OrderedDictionary();
    }

    /// <summary>The method called, as <c>package.Service/Method</c>.</summary>
    public string Method { get; }

    /// <summary>The status the call ended with.</summary>
    public RpcStatusCode StatusCode { get; }

    /// <summary>The status message the plugin sent.</summary>
    public string Detail { get; }

    /// <summary>The same as <see cref="Detail"/>, the name scripts written for version 0.1 use.</summary>
    public string StatusDetail => Detail;

    /// <summary>The trailers the plugin sent with the status (binary values as byte[]).</summary>
    public OrderedDictionary Trailers { get; }

    /// <summary>
    /// The rich error details of a <c>grpc-status-details-bin</c> trailer (<c>google.rpc.Status</c>), one object per
    /// detail; empty when the plugin sent none.
    /// </summary>
    public IReadOnlyList<object> Details { get; init; } = Array.Empty<object>();

    internal static string DefaultMessage(string method, RpcStatusCode statusCode, string detail) =>
        $"The call to {method} failed with status {statusCode}: {(string.IsNullOrEmpty(detail) ? "(no detail)" : detail)}";
}
