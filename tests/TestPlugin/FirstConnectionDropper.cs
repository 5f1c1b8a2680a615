using System;
using System.IO;
using System.Threading;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// Mode <c>drop-first-connection:&lt;marker&gt;</c>: the first plugin process to create the marker file drops its
/// first connection right after the TLS handshake; later processes (a host's retry) find the file and serve normally.
/// </summary>
internal static class FirstConnectionDropper
{
    public static Func<bool> Create(string marker)
    {
        bool mine;
        try
        {
            // CreateNew: exactly one process wins, however many start at once.
            using (new FileStream(marker, FileMode.CreateNew, FileAccess.Write))
            {
            }

            mine = true;
        }
        catch (IOException)
        {
            mine = false;
        }

        int connections = 0;
        return () => mine && Interlocked.Increment(ref connections) == 1;
    }
}
