using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using RpcPlugin.Commands;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Calls;

/// <summary>
/// What Invoke-RpcPluginMethod shows about its calls: with -Verbose, one line per call (method, call kind, status as
/// gRPC names it, elapsed time, requests and responses with their sizes) and the metadata that came back; with
/// -Debug, every request and response as proto3 JSON. Made only when one of them is wanted, so a plain call builds
/// none of this text.
/// </summary>
internal sealed class CallTrace
{
    private const int ValueLength = 120;

    private readonly InvokeRpcPluginMethodCommand command;
    private readonly ProtoJsonFormatOptions json;
    private CallReport? shown;

    public CallTrace(InvokeRpcPluginMethodCommand command, DescriptorPool pool, bool verbose, bool debug)
    {
        this.command = command;
        Verbose = verbose;
        Debug = debug;
        json = new ProtoJsonFormatOptions { TypeResolver = pool.TypeResolver };
    }

    /// <summary>Whether each call's report is shown (-Verbose); the call must then be made with a report.</summary>
    public bool Verbose { get; }

    /// <summary>Whether requests and responses are shown as JSON (-Debug).</summary>
    public bool Debug { get; }

    /// <summary>Shows a request about to be sent. Pipeline thread.</summary>
    public void Request(DynamicCall call, DynamicMessage request)
    {
        if (Debug)
        {
            command.WriteDebug($"{call.Name} request: {ProtoJson.Format(request, json)}");
        }
    }

    /// <summary>The debug text of a response (any thread); null when -Debug is off.</summary>
    public string? Response(DynamicCall call, object response)
    {
        if (!Debug)
        {
            return null;
        }

        try
        {
            DynamicMessage message = response as DynamicMessage ?? DynamicCodec.Decode(call.Method.OutputType, (byte[])response);
            return $"{call.Name} response: {ProtoJson.Format(message, json)}";
        }
        catch (ProtobufCodecException e)
        {
            return $"{call.Name} response: ({((response as byte[])?.Length ?? 0)} bytes that do not decode: {e.Message})";
        }
    }

    /// <summary>Shows the report of the call that just ended, once. Pipeline thread.</summary>
    public void Report(CallReport? report)
    {
        if (!Verbose || report is null || ReferenceEquals(report, shown))
        {
            return;
        }

        shown = report;
        string status = report.Status?.ToString() ?? "failed (" + report.Failure + ")";
        command.WriteVerbose(
            $"{report.Method} ({report.Kind}): {status} in {Duration(report.Elapsed)}; " +
            $"sent {Count(report.RequestCount, "request")} ({Bytes(report.RequestBytes)}), " +
            $"received {Count(report.ResponseCount, "response")} ({Bytes(report.ResponseBytes)}).");
        if (report.Metadata is { } metadata)
        {
            command.WriteVerbose($"{report.Method} response headers: {Describe(metadata.Headers)}");
            command.WriteVerbose($"{report.Method} trailers: {Describe(metadata.Trailers)}");
        }
    }

    /// <summary>Microseconds under a millisecond, else milliseconds.</summary>
    internal static string Duration(TimeSpan elapsed) =>
        elapsed.TotalMilliseconds < 1
            ? string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMicroseconds:0} µs")
            : string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0.0} ms");

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Bytes(long bytes) => bytes == 1 ? "1 byte" : $"{bytes} bytes";

    /// <summary>Metadata on one line: text values as they are (long ones cut), binary ones by their size.</summary>
    private static string Describe(OrderedDictionary? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return "(none)";
        }

        var text = new StringBuilder();
        foreach (DictionaryEntry entry in metadata)
        {
            var values = entry.Value is IEnumerable many and not string and not byte[] ? many.Cast<object?>() : new[] { entry.Value };
            foreach (object? value in values)
            {
                text.Append(text.Length == 0 ? string.Empty : ", ").Append(entry.Key).Append(": ").Append(value switch
                {
                    byte[] bytes => $"<{Bytes(bytes.Length)}>",
                    string s when s.Length > ValueLength => s[..ValueLength] + "…",
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                });
            }
        }

        return text.ToString();
    }
}
