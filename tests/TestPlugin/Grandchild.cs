using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// spawn-child: a second process, to test that hosts kill whole trees. With spawn-child:setsid or
/// spawn-child:setpgid it first leaves the plugin's process group the way daemons and Python's
/// start_new_session=True (setsid) or Go's SysProcAttr.Setpgid (setpgid) do, so that a kill of the plugin's
/// group no longer reaches it.
/// </summary>
internal static class Grandchild
{
    public const string Argument = "--grandchild";

    /// <summary>The grandchild's whole life: leave the group if asked, then an hour's sleep with the stdio it inherited.</summary>
    public static int Sleep(string[] args)
    {
        int at = Array.IndexOf(args, Argument);
        string? escape = at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        if (escape == "setsid" && setsid() < 0)
        {
            return 70;
        }

        if (escape == "setpgid" && setpgid(0, 0) < 0)
        {
            return 71;
        }

        Thread.Sleep(TimeSpan.FromHours(1));
        return 0;
    }

    /// <summary>Starts this program again as a grandchild sharing our stdio; returns its pid.</summary>
    public static int Start(string? escape)
    {
        var start = new ProcessStartInfo { UseShellExecute = false };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this program's path");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // Run as `dotnet TestPlugin.dll`: the host needs the assembly again.
            start.ArgumentList.Add(typeof(Grandchild).Assembly.Location);
        }

        start.ArgumentList.Add(Argument);
        if (escape is not null)
        {
            start.ArgumentList.Add(escape);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("the grandchild did not start");
        return child.Id;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setsid();

    [DllImport("libc", SetLastError = true)]
    private static extern int setpgid(int pid, int pgid);
}
