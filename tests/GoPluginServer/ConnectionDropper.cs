using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Connections;

namespace RpcPlugin.GoPluginServer;

/// <summary>The <see cref="PluginTestHooks.DropConnection"/> hook's answer to a connection it will not serve.</summary>
internal static class ConnectionDropper
{
    // HTTP/2 frame: length 8, type GOAWAY (7), no flags, stream 0; payload: last stream id 0, error code NO_ERROR.
    private static readonly byte[] GoAwayFrame = [0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    // More than the client preface (24 bytes) with its SETTINGS and WINDOW_UPDATE frames: its HEADERS are in too.
    private const int FirstRequestBytes = 80;

    /// <summary>
    /// Once the client's first request is on its way, says GOAWAY (last stream 0, NO_ERROR) instead of SETTINGS,
    /// as a server going away does; then, like Kestrel, reads on until the client hangs up.
    /// </summary>
    public static async Task SendAwayAsync(ConnectionContext connection)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        bool sent = false;
        long received = 0;
        try
        {
            while (true)
            {
                var input = await connection.Transport.Input.ReadAsync(patience.Token);
                received += input.Buffer.Length;
                connection.Transport.Input.AdvanceTo(input.Buffer.End);
                if (!sent && received > FirstRequestBytes)
                {
                    await connection.Transport.Output.WriteAsync(GoAwayFrame);
                    sent = true;
                }

                if (input.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // A client that never hangs up: close anyway.
        }

        await connection.Transport.Output.CompleteAsync();
    }
}
