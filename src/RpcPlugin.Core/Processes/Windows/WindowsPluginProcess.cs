using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Processes.Windows;

/// <summary>
/// A plugin process on Windows, placed in its own job object with KILL_ON_JOB_CLOSE: ending the job ends the
/// whole tree, and when PowerShell dies the kernel closes our handle and ends it too. (Children the plugin starts
/// in the moment before it joins the job escape; go-plugin plugins start none that early.)
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsPluginProcess : IPluginProcess
{
    private readonly Process process;
    private readonly IntPtr job;
    private bool disposed;

    private WindowsPluginProcess(Process process, IntPtr job)
    {
        this.process = process;
        this.job = job;
        Id = process.Id;
        Exited = WaitAsync(process);
    }

    public int Id { get; }

    public Stream StandardOutput => process.StandardOutput.BaseStream;

    public Stream StandardError => process.StandardError.BaseStream;

    public bool Owned => true;

    public Task<int?> Exited { get; }

    public static WindowsPluginProcess Start(ProcessStartSpec spec)
    {
        var info = new ProcessStartInfo(spec.FilePath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory,
            CreateNoWindow = true,
        };
        foreach (string argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach ((string key, string value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        IntPtr job = CreateKillOnCloseJob();
        Process process;
        try
        {
            process = Process.Start(info)
                ?? throw new PluginException(PluginErrorCode.PluginNotFound, $"Cannot run the plugin '{spec.FilePath}'.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            WindowsNative.CloseHandle(job);
            throw new PluginException(PluginErrorCode.PluginNotFound, $"Cannot run the plugin '{spec.FilePath}': {e.Message}.", e);
        }

        process.StandardInput.Close();
        WindowsNative.AssignProcessToJobObject(job, process.Handle);
        return new WindowsPluginProcess(process, job);
    }

    // Windows has no polite request a console-less child can receive; go-plugin kills on Windows too.
    public bool RequestTermination() => false;

    public void KillTree()
    {
        if (!disposed)
        {
            WindowsNative.TerminateJobObject(job, 1);
        }
    }

    // go-plugin on Windows serves on tcp.
    public void TrackSocket(string path)
    {
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        WindowsNative.CloseHandle(job);
        process.Dispose();
    }

    private static IntPtr CreateKillOnCloseJob()
    {
        IntPtr job = WindowsNative.CreateJobObjectW(IntPtr.Zero, null);
        if (job == IntPtr.Zero)
        {
            throw new InvalidOperationException($"CreateJobObject failed with error {Marshal.GetLastPInvokeError()}.");
        }

        var limits = new WindowsNative.JobObjectExtendedLimits();
        limits.BasicLimitInformation.LimitFlags = WindowsNative.JobObjectLimitKillOnJobClose;
        uint size = (uint)Marshal.SizeOf<WindowsNative.JobObjectExtendedLimits>();
        if (!WindowsNative.SetInformationJobObject(job, WindowsNative.JobObjectExtendedLimitInformation, ref limits, size))
        {
            int error = Marshal.GetLastPInvokeError();
            WindowsNative.CloseHandle(job);
            throw new InvalidOperationException($"SetInformationJobObject failed with error {error}.");
        }

        return job;
    }

    private static async Task<int?> WaitAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }
}
