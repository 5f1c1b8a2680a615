using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// Echoes a call's <c>x-echo-*</c> request headers on every <c>testplugin.Echo</c> method: each comes back as a
/// response header with the same key and value, and as a trailer whose key is prefixed <c>trailer-</c>. The
/// headers are sent before the handler runs (as grpc-go does after <c>grpc.SendHeader</c>), so they arrive even
/// when the call then fails; the trailers go out with the status, error or not.
/// </summary>
internal sealed class MetadataEcho : Interceptor
{
    public const string Prefix = "x-echo-";
    public const string TrailerPrefix = "trailer-";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await EchoAsync(context);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await EchoAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await EchoAsync(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await EchoAsync(context);
        await continuation(requestStream, responseStream, context);
    }

    /// <summary>Sends the echoed headers now and queues the echoed trailers; a call without x-echo-* headers is left alone.</summary>
    private static async Task EchoAsync(ServerCallContext context)
    {
        var headers = new Metadata();
        foreach (var (key, value, bytes) in EchoedHeaders(context))
        {
            headers.Add(bytes is null ? new Metadata.Entry(key, value) : new Metadata.Entry(key, bytes));
            context.ResponseTrailers.Add(bytes is null ? new Metadata.Entry(TrailerPrefix + key, value) : new Metadata.Entry(TrailerPrefix + key, bytes));
        }

        if (headers.Count > 0)
        {
            await context.WriteResponseHeadersAsync(headers);
        }
    }

    // From the HTTP request itself rather than context.RequestHeaders, which fails the whole call (with an
    // unhandled FormatException) on a -bin value holding comma-separated base64 values, the form a repeated binary
    // key arrives in from HttpClient and gRPC allows. Each value, and each part of a -bin value, is echoed in order.
    private static List<(string Key, string Value, byte[]? Bytes)> EchoedHeaders(ServerCallContext context)
    {
        var echoed = new List<(string, string, byte[]?)>();
        foreach (var (name, values) in context.GetHttpContext().Request.Headers)
        {
            if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = name.ToLowerInvariant();
            var binary = key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal);
            foreach (var value in values)
            {
                if (!binary)
                {
                    echoed.Add((key, value ?? string.Empty, null));
                    continue;
                }

                foreach (var part in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries))
                {
                    try
                    {
                        echoed.Add((key, part, Base64(part)));
                    }
                    catch (FormatException)
                    {
                        throw new RpcException(new Status(StatusCode.InvalidArgument, $"request header '{key}' is not valid base64: '{part}'"));
                    }
                }
            }
        }

        return echoed;
    }

    /// <summary>
    /// The trailers <c>FailRequest.details</c> asks for, checked before any is sent: keys as given (lower-cased),
    /// a <c>-bin</c> key's value decoded from base64.
    /// </summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT: a key gRPC or HTTP/2 does not allow or reserves, a text value that is not printable ASCII, or bad base64.</exception>
    public static List<Metadata.Entry> DetailTrailers(IEnumerable<KeyValuePair<string, string>> details)
    {
        var entries = new List<Metadata.Entry>();
        foreach (var (key, value) in details)
        {
            try
            {
                var lower = key.ToLowerInvariant();
                if (lower is "grpc-status" or "grpc-message")
                {
                    throw new ArgumentException("the key is gRPC's own status trailer");
                }

                if (lower is "connection" or "keep-alive" or "proxy-connection" or "transfer-encoding" or "upgrade" or "te")
                {
                    // Kestrel would drop it (with a warning) rather than send it.
                    throw new ArgumentException("HTTP/2 does not allow connection-specific header fields");
                }

                if (lower.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal))
                {
                    entries.Add(new Metadata.Entry(lower, Base64(value)));
                }
                else if (value.AsSpan().ContainsAnyExceptInRange(' ', '~'))
                {
                    // HTTP/2 (and Kestrel) would refuse it when the trailers are written, too late for a status.
                    throw new ArgumentException("a text value must be printable ASCII (use a -bin key for anything else)");
                }
                else
                {
                    entries.Add(new Metadata.Entry(lower, value));
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"FailRequest.details['{key}'] cannot be sent as a trailer: {e.Message}"));
            }
        }

        return entries;
    }

    // gRPC itself sends base64 without padding; accept either.
    private static byte[] Base64(string text)
    {
        var padded = text.TrimEnd('=');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }
}
