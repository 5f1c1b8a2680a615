using System;
using System.Text;
using System.Threading.Channels;
using Google.Protobuf;
using RpcPlugin.Protocol;

namespace RpcPlugin.GoPluginServer;

/// <summary>Which of the host's output streams a piece of stdio data is meant for.</summary>
public enum StdioChannel
{
    /// <summary>The plugin's standard output.</summary>
    Stdout = 1,

    /// <summary>The plugin's standard error.</summary>
    Stderr = 2,
}

/// <summary>
/// Output a plugin sends to its host through <c>plugin.GRPCStdio/StreamStdio</c> rather than through its real
/// stdout/stderr (go-plugin redirects os.Stdout there; a .NET plugin writes here explicitly). Items wait in a
/// bounded queue until the host reads the stream; past <see cref="Capacity"/> the oldest are dropped, so a host
/// that never reads cannot block the plugin.
/// </summary>
public sealed class PluginStdio
{
    /// <summary>How many writes are kept while no host reads the stream.</summary>
    public const int Capacity = 4096;

    private readonly Channel<StdioData> _pending = Channel.CreateBounded<StdioData>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest });

    internal ChannelReader<StdioData> Reader => _pending.Reader;

    /// <summary>Queues bytes for the host's stdout or stderr.</summary>
    public void Write(StdioChannel channel, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return; // go-plugin sends no empty items either
        }

        _pending.Writer.TryWrite(new StdioData { Channel = (StdioData.Types.Channel)channel, Data = ByteString.CopyFrom(data) });
    }

    /// <summary>Queues text, UTF-8 encoded, for the host's stdout or stderr.</summary>
    public void Write(StdioChannel channel, string text) => Write(channel, Encoding.UTF8.GetBytes(text));
}
