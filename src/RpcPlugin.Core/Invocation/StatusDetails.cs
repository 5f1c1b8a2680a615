using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Conversion;
using RpcPlugin.Core.Descriptors;

namespace RpcPlugin.Core.Invocation;

/// <summary>
/// The rich error model: a failed call's <c>grpc-status-details-bin</c> trailer holds a <c>google.rpc.Status</c>
/// whose details are <c>Any</c> messages, usually the standard ones of google/rpc/error_details.proto (ErrorInfo,
/// BadRequest, RetryInfo, DebugInfo, QuotaFailure...). Each becomes the host's record of its type (the session's own
/// descriptors also serve a plugin's custom detail types); a detail of a type nobody knows keeps its <c>@type</c> and
/// bytes. Kept apart from <see cref="CallFailure"/> so that the common-protos assembly loads only when a plugin sends
/// such a trailer.
/// </summary>
internal static class StatusDetails
{
    /// <summary>The trailer that carries the serialized <c>google.rpc.Status</c>.</summary>
    public const string Trailer = "grpc-status-details-bin";

    private const int SummaryLength = 160;

    private static readonly Dictionary<string, MessageDescriptor> Standard = ErrorDetailsReflection.Descriptor.MessageTypes
        .ToDictionary(m => m.FullName, StringComparer.Ordinal);

    /// <summary>Whether the failure carries rich details at all (cheap: no parsing).</summary>
    public static bool Present(RpcException failure) => failure.Trailers.Get(Trailer) is not null;

    /// <summary>The decoded details, a sentence naming the first of them, and what the plugin asks the caller to do.</summary>
    public static Decoded Decode(RpcException failure, DescriptorPool? pool, IRecordFactory factory)
    {
        Google.Rpc.Status? status;
        try
        {
            status = failure.GetRpcStatus();
        }
        catch (InvalidProtocolBufferException e)
        {
            return new Decoded(Array.Empty<object>(), $" Its {Trailer} trailer is not a google.rpc.Status: {e.Message}", null);
        }

        if (status is null || status.Details.Count == 0)
        {
            return new Decoded(Array.Empty<object>(), string.Empty, null);
        }

        Func<string, MessageDescriptor?> resolve = pool?.TypeResolver ?? (_ => null);
        var projector = new MessageProjector(factory, resolve);
        var records = new List<object>(status.Details.Count);
        var summaries = new List<string>();
        string? retry = null;
        foreach (Any detail in status.Details)
        {
            string typeName = detail.TypeUrl[(detail.TypeUrl.LastIndexOf('/') + 1)..];
            MessageDescriptor? type = Standard.GetValueOrDefault(typeName) ?? pool?.ResolveTypeUrl(detail.TypeUrl);
            DynamicMessage? message = null;
            if (type is not null)
            {
                try
                {
                    message = DynamicCodec.Decode(type, detail.Value.Span);
                }
                catch (ProtobufCodecException)
                {
                    // Bytes that do not match the type they claim: keep them as they came.
                }
            }

            if (message is null)
            {
                records.Add(factory.CreateRecord(null, new KeyValuePair<string, object?>[] { new("@type", detail.TypeUrl), new("value", detail.Value.ToByteArray()) }));
                summaries.Add($"{typeName} ({detail.Value.Length} bytes{(type is null ? " of an unknown type" : " that do not decode")})");
                continue;
            }

            records.Add(projector.Project(message) ?? factory.CreateRecord(message.Descriptor, Array.Empty<KeyValuePair<string, object?>>()));
            summaries.Add($"{typeName} {Shorten(ProtoJson.Format(message, new ProtoJsonFormatOptions { TypeResolver = resolve }))}");
            if (typeName == RetryInfo.Descriptor.FullName && RetryInfo.Parser.ParseFrom(detail.Value).RetryDelay is { } delay)
            {
                retry = $"The plugin asks to retry after {delay.ToTimeSpan().TotalSeconds:0.###} s.";
            }
        }

        string named = summaries.Count <= 2
            ? string.Join("; ", summaries)
            : $"{summaries[0]}; {summaries[1]}; and {summaries.Count - 2} more";
        return new Decoded(records, $" Details: {named}.", retry);
    }

    private static string Shorten(string json) => json.Length <= SummaryLength ? json : json[..(SummaryLength - 1)] + "…";

    /// <summary>What the trailer said.</summary>
    /// <param name="Records">One record per detail, in order.</param>
    /// <param name="Sentence">Text to append to the error message (starts with a space; empty when there are no details).</param>
    /// <param name="RetryHint">What a RetryInfo detail asks for, if one came.</param>
    public sealed record Decoded(IReadOnlyList<object> Records, string Sentence, string? RetryHint);
}
