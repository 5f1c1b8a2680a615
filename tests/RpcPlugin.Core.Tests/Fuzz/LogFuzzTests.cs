using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RpcPlugin.Core.Logs;
using Xunit.Abstractions;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// Plugin output handling against random and mutated input: <see cref="HclogParser.Parse"/> never throws and
/// always returns an entry; <see cref="LineReader"/> never throws on arbitrary bytes delivered in arbitrary
/// pieces, never returns a line longer than <see cref="LineReader.MaxLineLength"/>, and returns exactly the
/// pieces its contract describes (split at '\n', one '\r' ending a line dropped, long lines cut every
/// <see cref="LineReader.MaxLineLength"/> bytes, each piece decoded as UTF-8).
/// </summary>
[Collection(FuzzRunner.Collection)]
public class LogFuzzTests
{
    private const int HclogSeed = 7_006;
    private const int HclogCases = 20_000;
    private const int LineSeed = 7_007;
    private const int LineCases = 20_000;

    private static readonly string[] HclogNames = { "@level", "@message", "@timestamp", "@module", "@caller", "error", "path", "count", "nested" };

    private static readonly string[] HclogSamples =
    {
        """{"@level":"warn","@message":"disk low","@module":"kv","@timestamp":"2024-01-02T15:04:05.123456Z","free":12,"path":"/var","nested":{"a":true}}""",
        """{"@level":"debug","@message":"plugin address","@timestamp":"2024-01-02T15:04:05.123456-07:00","address":"/tmp/plugin1","network":"unix"}""",
        """{"@level":"error","@message":"failed","error":"boom","list":[1,2.5,"x",null,{"y":[]}],"big":18446744073709551615}""",
        "2024-01-02T15:04:05.123Z [ERROR] plugin: boom: key=value",
        "2024/01/02 15:04:05 [TRACE] detail",
        "panic: runtime error: index out of range [3] with length 3",
        "goroutine 1 [running]:",
        "fatal error: all goroutines are asleep - deadlock!",
        "just a line",
        "{not json",
    };

    private readonly ITestOutputHelper output;

    public LogFuzzTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Fact]
    public void Hclog_parser_never_throws_on_random_and_mutated_lines()
    {
        // One parser for the whole run, as for one stream: the panic state carries over between lines.
        var parser = new HclogParser(RpcPluginLogSource.Stderr);
        FuzzSummary summary = FuzzRunner.Run("HclogParser", HclogSeed, HclogCases, fuzzCase => CheckHclog(fuzzCase, parser), output);

        if (summary.Partial)
        {
            return;
        }

        Assert.Equal(HclogCases, summary.Cases);
        Assert.True(summary.Count("json") > HclogCases / 10, summary.ToString());
        Assert.True(summary.Count("text") > HclogCases / 10, summary.ToString());
    }

    [Fact]
    public void Line_reader_never_throws_and_never_returns_a_line_longer_than_the_cap()
    {
        FuzzSummary summary = FuzzRunner.Run(nameof(LineReader), LineSeed, LineCases, CheckLines, output);

        if (summary.Partial)
        {
            return;
        }

        Assert.Equal(LineCases, summary.Cases);
        Assert.True(summary.Count("cut") > 50, summary.ToString());
    }

    private static void CheckHclog(FuzzCase fuzzCase, HclogParser parser)
    {
        Random random = fuzzCase.Random;
        string line = random.Next(10) switch
        {
            0 => HclogSamples[random.Next(HclogSamples.Length)],
            1 or 2 => Mutate.TextEdits(random, HclogSamples[random.Next(HclogSamples.Length)], 4, JsonFuzz.Tokens),
            3 or 4 => JsonFuzz.TreeEdits(random, HclogSamples[random.Next(3)], HclogNames),
            5 => RandomHclogObject(random),
            6 => "{" + JsonFuzz.RandomValue(random, HclogNames, 3)[1..],
            7 => JsonFuzz.DeepText(random.Next(1, 100), objects: random.Next(2) == 0, closed: random.Next(4) != 0).Insert(0, random.Next(2) == 0 ? "{\"@message\":\"m\",\"x\":" : string.Empty) + "}",
            8 => Mutate.Text(random, random.Next(20) == 0 ? 100_000 : 200, loneSurrogates: random.Next(4) == 0),
            _ => Encoding.UTF8.GetString(Mutate.RandomBytes(random, random.Next(120))),
        };
        fuzzCase.Input("line", line);

        RpcPluginLogEntry entry = parser.Parse(line);

        if (entry is null || entry.Message is null || entry.Fields is null || entry.Line != line || !Enum.IsDefined(entry.Level))
        {
            throw FuzzCase.Fail("the entry is incomplete or does not carry the line");
        }

        if (!line.StartsWith('{') && entry.Message != line)
        {
            throw FuzzCase.Fail("a plain-text line's message is not the line");
        }

        fuzzCase.Outcome(line.StartsWith('{') && entry.Message != line ? "json" : "text");
    }

    /// <summary>An hclog-shaped object whose well-known keys have values of random JSON kinds.</summary>
    private static string RandomHclogObject(Random random)
    {
        var properties = new List<string>();
        foreach (string name in HclogNames.OrderBy(_ => random.Next()).Take(random.Next(1, HclogNames.Length)))
        {
            string value = random.Next(3) == 0
                ? JsonFuzz.RandomValue(random, HclogNames, 2)
                : name switch
                {
                    "@level" => "\"" + new[] { "trace", "DEBUG", "info", "warn", "warning", "error", "err", "fatal", "critical", "off", "" }[random.Next(11)] + "\"",
                    "@timestamp" => "\"" + new[] { "2024-01-02T15:04:05.123456Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999-14:00", "yesterday", "" }[random.Next(5)] + "\"",
                    _ => JsonFuzz.RandomValue(random, HclogNames, 2),
                };
            properties.Add($"\"{name}\":{value}");
        }

        return "{" + string.Join(",", properties) + "}";
    }

    private static void CheckLines(FuzzCase fuzzCase)
    {
        Random random = fuzzCase.Random;
        byte[] input = LineInput(random);
        // Tiny reads make every byte a call: only for small inputs, so the run stays fast.
        bool small = input.Length < 4_096;
        int maxChunk = random.Next(4) switch
        {
            0 => small ? 1 : 1_000,
            1 => small ? random.Next(1, 16) : random.Next(1_000, 4_000),
            2 => 8_192,
            _ => random.Next(1, 70_000),
        };
        int chunkSeed = random.Next();
        bool failAtEnd = random.Next(5) == 0;
        fuzzCase.Input(() => $"{input.Length} bytes, read in chunks of up to {maxChunk} (chunk seed {chunkSeed}), stream {(failAtEnd ? "failing with IOException" : "ending")} at the end: {Show.Hex(input)}");

        List<string> expected = ExpectedLines(input);
        var reader = new LineReader(new ChunkedStream(input, maxChunk, new Random(chunkSeed), failAtEnd));
        var lines = new List<string>();
        while (reader.ReadLineAsync(CancellationToken.None).GetAwaiter().GetResult() is { } line)
        {
            if (line.Length > LineReader.MaxLineLength)
            {
                throw FuzzCase.Fail($"line {lines.Count} has {line.Length} characters, more than {LineReader.MaxLineLength}");
            }

            lines.Add(line);
            if (lines.Count > input.Length + 1)
            {
                throw FuzzCase.Fail("more lines than the input has bytes: the reader does not advance");
            }
        }

        if (!lines.SequenceEqual(expected))
        {
            int i = 0;
            while (i < lines.Count && i < expected.Count && lines[i] == expected[i])
            {
                i++;
            }

            throw FuzzCase.Fail($"line {i} differs: expected {(i < expected.Count ? Show.Text(expected[i]) : "no line")}, got {(i < lines.Count ? Show.Text(lines[i]) : "no line")} ({lines.Count} lines, {expected.Count} expected)");
        }

        fuzzCase.Outcome(input.Length > LineReader.MaxLineLength && expected.Any(l => l.Length >= LineReader.MaxLineLength / 4) ? "cut" : "lines");
    }

    /// <summary>Random bytes with newlines, CRLFs and invalid UTF-8, and now and then lines at and around the cap.</summary>
    private static byte[] LineInput(Random random)
    {
        var bytes = new List<byte>();
        // Long lines are the slow cases (hundreds of kilobytes to read and to model), so they are a small share.
        if (random.Next(150) == 0)
        {
            return LongLines(random);
        }

        int count = random.Next(random.Next(20) == 0 ? 8_000 : 600);
        while (bytes.Count < count)
        {
            switch (random.Next(10))
            {
                case 0:
                    bytes.Add((byte)'\n');
                    break;
                case 1:
                    bytes.AddRange("\r\n"u8.ToArray());
                    break;
                case 2:
                    bytes.Add((byte)'\r');
                    break;
                case 3:
                    bytes.AddRange(Mutate.RandomBytes(random, random.Next(1, 20)));
                    break;
                case 4:
                    bytes.AddRange(Encoding.UTF8.GetBytes(Mutate.Text(random, 20, loneSurrogates: false)));
                    break;
                default:
                    bytes.AddRange(Encoding.ASCII.GetBytes(new string((char)random.Next('a', 'z' + 1), random.Next(1, 30))));
                    break;
            }
        }

        return bytes.ToArray();
    }

    /// <summary>Long lines: exactly the cap, one either side, multiples, with '\r' and multi-byte characters at the cut.</summary>
    private static byte[] LongLines(Random random)
    {
        int cap = LineReader.MaxLineLength;
        int length = new[] { cap - 1, cap, cap + 1, 2 * cap, (2 * cap) + 1, random.Next(cap, (2 * cap) + 100) }[random.Next(6)];
        byte filler = (byte)"aaxx\t\t\t\x80"[random.Next(8)];
        int lineCount = random.Next(1, 3);
        byte[] bytes = new byte[lineCount * (length + 2)];
        int at = 0;
        for (int line = 0; line < lineCount; line++)
        {
            int start = at;
            bytes.AsSpan(at, length).Fill(filler);
            at += length;
            if (random.Next(2) == 0 && length >= cap + 1)
            {
                // A 3-byte UTF-8 character straddling the cut.
                int character = start + cap - 1 - random.Next(3);
                bytes[character] = 0xE6;
                bytes[character + 1] = 0x97;
                bytes[character + 2] = 0xA5;
            }

            if (random.Next(2) == 0 && length > cap)
            {
                bytes[start + cap - 1] = (byte)'\r';
            }

            switch (random.Next(3))
            {
                case 0:
                    bytes[at++] = (byte)'\n';
                    break;
                case 1:
                    bytes[at++] = (byte)'\r';
                    bytes[at++] = (byte)'\n';
                    break;
            }
        }

        return bytes.AsSpan(0, at).ToArray();
    }

    /// <summary>
    /// The reader's contract as a model: pieces of at most the cap between newlines, UTF-8 decoded, with one '\r'
    /// dropped where it ends a line (before its '\n' or at the end of the stream), not where a long line is cut.
    /// </summary>
    private static List<string> ExpectedLines(byte[] input)
    {
        var lines = new List<string>();
        int start = 0;
        while (start < input.Length)
        {
            int newline = Array.IndexOf(input, (byte)'\n', start);
            int end = newline < 0 ? input.Length : newline;
            for (int piece = start; ; piece += LineReader.MaxLineLength)
            {
                int length = Math.Min(LineReader.MaxLineLength, end - piece);
                if (end - piece <= LineReader.MaxLineLength)
                {
                    lines.Add(Decode(input.AsSpan(piece, length), dropCarriageReturn: true));
                    break;
                }

                lines.Add(Decode(input.AsSpan(piece, length), dropCarriageReturn: false));
            }

            if (newline < 0)
            {
                break;
            }

            start = newline + 1;
        }

        return lines;
    }

    private static string Decode(ReadOnlySpan<byte> piece, bool dropCarriageReturn) =>
        Encoding.UTF8.GetString(dropCarriageReturn && piece.Length > 0 && piece[^1] == (byte)'\r' ? piece[..^1] : piece);

    /// <summary>A stream that hands out its bytes in random pieces, and may fail instead of ending.</summary>
    private sealed class ChunkedStream : Stream
    {
        private readonly byte[] data;
        private readonly int maxChunk;
        private readonly Random random;
        private readonly bool failAtEnd;
        private int position;

        public ChunkedStream(byte[] data, int maxChunk, Random random, bool failAtEnd)
        {
            this.data = data;
            this.maxChunk = maxChunk;
            this.random = random;
            this.failAtEnd = failAtEnd;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (position >= data.Length)
            {
                return failAtEnd ? throw new IOException("The pipe is broken.") : 0;
            }

            int take = Math.Min(Math.Min(buffer.Length, data.Length - position), random.Next(1, maxChunk + 1));
            data.AsSpan(position, take).CopyTo(buffer);
            position += take;
            return take;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
