using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using RpcPlugin.Core.Logs;
using RpcPlugin.Protocol;

namespace RpcPlugin.Core.Sessions;

/// <summary>
/// Reads go-plugin's GRPCStdio stream (the plugin's stdout/stderr as seen by go-plugin ≥ 1.1) into the session
/// log. Plugins without the service answer Unimplemented and the pump just stops.
/// </summary>
internal sealed class StdioPump
{
    private readonly PluginLog log;
    private readonly LineAssembler stdout = new(RpcPluginLogSource.StdioStdout);
    private readonly LineAssembler stderr = new(RpcPluginLogSource.StdioStderr);

    private StdioPump(PluginLog log)
    {
        this.log = log;
    }

    public static Task RunAsync(GrpcChannel channel, PluginLog log, CancellationToken cancellationToken) =>
        Task.Run(() => new StdioPump(log).PumpAsync(channel, cancellationToken), CancellationToken.None);

    private async Task PumpAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            var client = new GRPCStdio.GRPCStdioClient(channel);
            using AsyncServerStreamingCall<StdioData> call = client.StreamStdio(new Google.Protobuf.WellKnownTypes.Empty(), cancellationToken: cancellationToken);
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                StdioData data = call.ResponseStream.Current;
                LineAssembler target = data.Channel == StdioData.Types.Channel.Stderr ? stderr : stdout;
                target.Append(data.Data.Span, log);
            }
        }
        catch (RpcException)
        {
            // Unimplemented (older go-plugin, other languages), or the plugin went away: nothing more to read.
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            stdout.Flush(log);
            stderr.Flush(log);
        }
    }

    /// <summary>Joins the chunks of one channel into lines; a chunk may end mid-line or mid-character.</summary>
    private sealed class LineAssembler
    {
        private readonly Decoder decoder = Encoding.UTF8.GetDecoder();
        private readonly StringBuilder line = new();
        private readonly HclogParser parser;

        public LineAssembler(RpcPluginLogSource source)
        {
            parser = new HclogParser(source);
        }

        public void Append(ReadOnlySpan<byte> bytes, PluginLog log)
        {
            char[] chars = new char[decoder.GetCharCount(bytes, flush: false)];
            decoder.GetChars(bytes, chars, flush: false);
            foreach (char c in chars)
            {
                if (c == '\n')
                {
                    Emit(log);
                }
                else if (line.Length < LineReader.MaxLineLength)
                {
                    line.Append(c);
                }
                else
                {
                    Emit(log);
                    line.Append(c);
                }
            }
        }

        public void Flush(PluginLog log)
        {
            if (line.Length > 0)
            {
                Emit(log);
            }
        }

        private void Emit(PluginLog log)
        {
            if (line.Length > 0 && line[^1] == '\r')
            {
                line.Length--;
            }

            log.Add(parser.Parse(line.ToString()));
            line.Clear();
        }
    }
}
