using System.Globalization;
using System.Runtime.InteropServices;

namespace RpcPlugin.Core.Processes.Unix;

/// <summary>
/// Waits for children we started with posix_spawn. .NET reaps only the children it started itself, so each of
/// ours gets a small dedicated thread blocked in <c>waitpid</c>: exit is noticed at once, with no polling.
/// </summary>
internal static class UnixReaper
{
    private const int StackSize = 128 * 1024;

    /// <summary>Calls <paramref name="exited"/> with the raw <c>waitpid</c> status (-1 if unknown) once the child has exited.</summary>
    public static void Watch(int pid, Action<int> exited)
    {
        var thread = new Thread(() => exited(WaitForExit(pid)), StackSize)
        {
            IsBackground = true,
            Name = "RpcPlugin waitpid " + pid.ToString(CultureInfo.InvariantCulture),
        };
        thread.Start();
    }

    private static int WaitForExit(int pid)
    {
        while (true)
        {
            int result = UnixNative.waitpid(pid, out int status, 0);
            if (result == pid)
            {
                return status;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (result == -1 && errno == UnixNative.EINTR)
            {
                continue;
            }

            // ECHILD: someone else reaped it (a host that reaps every child); the exit code is lost.
            return -1;
        }
    }
}
