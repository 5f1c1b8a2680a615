using System;
using System.Runtime.InteropServices;

namespace RpcPlugin.TestPlugin;

/// <summary>Ends the process at once, like a crash: no shutdown, no socket removal, connections cut mid-call.</summary>
internal static class HardExit
{
    public static void Now(int exitCode)
    {
        if (OperatingSystem.IsWindows())
        {
            Environment.Exit(exitCode);
        }

        // Environment.Exit would run shutdown handlers; _exit(2) skips everything, as a crash does.
        Exit(exitCode);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);
}
