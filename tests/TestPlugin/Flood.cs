using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using RpcPlugin.GoPluginServer;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// flood:&lt;megabytes&gt; — once the handshake line is out, writes that many megabytes (10,000 lines of 100 bytes
/// each) of junk to stdout and to stderr, each from its own background thread, as fast as the reader takes them.
/// When both are written, a last line 'flood over' goes to stdout and is logged on stderr: a host that has read
/// both has read all of the flood, which a test can wait for instead of for the log to go quiet.
/// </summary>
internal static class Flood
{
    /// <summary>Bytes per line, the newline included.</summary>
    public const int LineLength = 100;

    /// <summary>Lines per megabyte (10^6 bytes).</summary>
    public const int LinesPerMegabyte = 1_000_000 / LineLength;

    // 40 lines, 4000 bytes: under PIPE_BUF (4096), so each write reaches a pipe whole and the plugin's other
    // writers (hclog lines, Print) never land inside a junk line.
    private const int LinesPerWrite = 40;

    private const string Filler = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>
    /// Wraps the handshake rewrite: prints the line (or what <paramref name="rewrite"/> makes of it) itself, then
    /// starts the flood, so that no junk can come before the handshake. Returns null to the server: nothing left to print.
    /// </summary>
    public static Func<string, string?> AfterHandshake(Func<string, string?>? rewrite, int megabytes, HclogLogger log) => line =>
    {
        if ((rewrite is null ? line : rewrite(line)) is { } text)
        {
            try
            {
                RawConsole.Write(RawConsole.Stdout, text + "\n");
            }
            catch (IOException)
            {
                // As HandshakeLine.Print: no one reads our stdout any more.
            }
        }

        log.Info("flooding stdout and stderr", ("megabytes", megabytes), ("lines", (long)megabytes * LinesPerMegabyte));
        var streamsLeft = new CountdownEvent(2);
        Start("stdout", RawConsole.Stdout, megabytes, log, streamsLeft);
        Start("stderr", RawConsole.Stderr, megabytes, log, streamsLeft);
        return null;
    };

    private static void Start(string name, Stream stream, int megabytes, HclogLogger log, CountdownEvent streamsLeft)
    {
        var thread = new Thread(() =>
        {
            Run(name, stream, (long)megabytes * LinesPerMegabyte, log);
            if (streamsLeft.Signal())
            {
                Over(log);
            }
        })
        {
            IsBackground = true,
            Name = "flood " + name,
        };
        thread.Start();
    }

    private static void Run(string name, Stream stream, long lines, HclogLogger log)
    {
        var chunk = new byte[LinesPerWrite * LineLength];
        long written = 0;
        try
        {
            while (written < lines)
            {
                var count = (int)Math.Min(LinesPerWrite, lines - written);
                for (var i = 0; i < count; i++)
                {
                    WriteLine(chunk.AsSpan(i * LineLength, LineLength), name, written + i + 1);
                }

                lock (stream)
                {
                    stream.Write(chunk, 0, count * LineLength);
                    stream.Flush();
                }

                written += count;
            }
        }
        catch (IOException)
        {
            // The host closed the pipe: stop quietly.
        }

        log.Info("flood finished", ("stream", name), ("lines", written), ("bytes", written * LineLength));
    }

    /// <summary>The last output of the mode, once both floods are written: nothing of the flood follows it on either stream.</summary>
    private static void Over(HclogLogger log)
    {
        try
        {
            RawConsole.Write(RawConsole.Stdout, "flood over\n");
        }
        catch (IOException)
        {
            // The host closed the pipe.
        }

        log.Info("flood over");
    }

    // "flood stdout 00000001 abcdef...\n": the stream and the line's number, then filler up to 99 characters.
    private static void WriteLine(Span<byte> line, string name, long number)
    {
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"flood {name} {number:D8} "));
        head.CopyTo(line);
        for (var i = head.Length; i < LineLength - 1; i++)
        {
            line[i] = (byte)Filler[(int)((i + number) % Filler.Length)];
        }

        line[LineLength - 1] = (byte)'\n';
    }
}
