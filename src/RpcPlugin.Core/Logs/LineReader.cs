using System.Text;

namespace RpcPlugin.Core.Logs;

/// <summary>
/// Reads lines from a plugin's output with a cap on line length, so a plugin writing megabytes without a newline
/// cannot make us hold it all: longer lines are cut into pieces of <see cref="MaxLineLength"/> bytes.
/// </summary>
internal sealed class LineReader
{
    /// <summary>The longest line, in bytes, returned in one piece.</summary>
    public const int MaxLineLength = 64 * 1024;

    private readonly Stream stream;
    private readonly byte[] buffer = new byte[8192];
    private readonly MemoryStream pending = new();
    private readonly object gate = new();
    private int start;
    private int end;

    public LineReader(Stream stream)
    {
        this.stream = stream;
    }

    /// <summary>
    /// The text of a line that has begun but not ended (no newline yet), as it stands now; empty when none. Safe
    /// to read from another thread while <see cref="ReadLineAsync"/> waits: a plugin that printed its last words
    /// without a newline, then hung, should still have them quoted.
    /// </summary>
    public string PartialLine
    {
        get
        {
            lock (gate)
            {
                return pending.Length == 0 ? string.Empty : Encoding.UTF8.GetString(pending.GetBuffer().AsSpan(0, (int)pending.Length));
            }
        }
    }

    /// <summary>The next line without its terminator, or null at end of stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            int newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                int take = newline - start;
                if (pending.Length + take > MaxLineLength)
                {
                    return CutPiece();
                }

                lock (gate)
                {
                    pending.Write(buffer, start, take);
                }

                start = newline + 1;
                return Decode();
            }

            if (pending.Length + (end - start) > MaxLineLength)
            {
                return CutPiece();
            }

            lock (gate)
            {
                // Between reads the unfinished line lives in `pending` only, where PartialLine can see it.
                pending.Write(buffer, start, end - start);
            }

            start = end = 0;
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                read = 0;
            }

            if (read == 0)
            {
                return pending.Length > 0 ? Decode() : null;
            }

            end = read;
        }
    }

    private string CutPiece()
    {
        int room = MaxLineLength - (int)pending.Length;
        lock (gate)
        {
            pending.Write(buffer, start, room);
        }

        start += room;
        return Decode(endOfLine: false);
    }

    private string Decode(bool endOfLine = true)
    {
        ReadOnlySpan<byte> bytes = pending.GetBuffer().AsSpan(0, (int)pending.Length);

        // A '\r' before the newline ends the line; at a cut it is data of a line that goes on.
        if (endOfLine && bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        string line = Encoding.UTF8.GetString(bytes);
        lock (gate)
        {
            pending.SetLength(0);
        }

        return line;
    }
}
