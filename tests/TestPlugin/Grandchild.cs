using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace RpcPlugin.TestPlugin;

/// <summary>spawn-child: a second process that outlives nothing on its own, to test that hosts kill whole trees.</summary>
internal static class Grandchild
{
    public const string Argument = "--grandchild";

    /// <summary>The grandchild's whole life: an hour's sleep, with the stdio it inherited still open.</summary>
    public static int Sleep()
    {
        Thread.Sleep(TimeSpan.FromHours(1));
        return 0;
    }

    /// <summary>Starts this program again as a grandchild sharing our stdio; returns its pid.</summary>
    public static int Start()
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
        using var child = Process.Start(start) ?? throw new InvalidOperationException("the grandchild did not start");
        return child.Id;
    }
}
