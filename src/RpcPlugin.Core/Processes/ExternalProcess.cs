using System.Diagnostics;
using System.Runtime.InteropServices;
using RpcPlugin.Core.Processes.Unix;

namespace RpcPlugin.Core.Processes;

/// <summary>
/// A process we did not start (a reattached plugin): we can only look at it and signal it by pid, not wait for it
/// or read its exit code.
/// </summary>
internal static class ExternalProcess
{
    private const int EPERM = 1;

    /// <summary>Whether a process with this pid exists (one we may not signal counts as existing).</summary>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                using Process process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        return UnixNative.kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == EPERM;
    }

    /// <summary>When the process started; null where that cannot be read (gone, or not ours to look at).</summary>
    public static DateTime? StartTime(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return process.StartTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Kills the process (SIGKILL; TerminateProcess on Windows). No error if it is already gone.</summary>
    public static void Kill(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                using Process process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }

            return;
        }

        UnixNative.kill(pid, UnixNative.SIGKILL);
    }
}
