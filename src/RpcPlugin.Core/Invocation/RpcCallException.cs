using System;
using System.Collections.Specialized;
using Grpc.Core;

namespace RpcPlugin.Core.Invocation;

/// <summary>
/// A gRPC call that ended with a non-OK status. Its ErrorId is <c>RpcPlugin.Rpc.&lt;StatusCode&gt;</c>, named by
/// <see cref="StatusCode"/> (e.g. <c>RpcPlugin.Rpc.NotFound</c>), with the status detail and the trailers attached.
/// </summary>
public sealed class RpcCallException : Exception
{
    /// <summary>Creates the exception from the gRPC failure of a call to <paramref name="method"/>.</summary>
    public RpcCallException(string method, RpcException inner)
        : base($"The call to {method} failed with status {inner.StatusCode}: {Detail(inner)}", inner)
    {
        Method = method;
        StatusCode = inner.StatusCode;
        StatusDetail = inner.Status.Detail;
        Trailers = MetadataConverter.ToDictionary(inner.Trailers);
    }

    /// <summary>The method called, as <c>package.Service/Method</c>.</summary>
    public string Method { get; }

    /// <summary>The gRPC status code.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The status message the plugin sent.</summary>
    public string StatusDetail { get; }

    /// <summary>The trailers the plugin sent with the status (binary values as byte[]).</summary>
    public OrderedDictionary Trailers { get; }

    /// <summary>What the user can do about it, when there is a useful hint.</summary>
    public string? RecommendedAction { get; init; }

    /// <summary>The stable error id.</summary>
    public string ErrorId => "RpcPlugin.Rpc." + StatusCode;

    private static string Detail(RpcException e) =>
        string.IsNullOrEmpty(e.Status.Detail) ? "(no detail)" : e.Status.Detail;
}
