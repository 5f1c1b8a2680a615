namespace RpcPlugin.Core.Processes;

/// <summary>
/// Ends a plugin process for good and removes what was made for it: the one way an abandoned start, a stopped
/// session and a forced stop of an attached plugin clean up.
/// </summary>
internal static class ProcessTeardown
{
    /// <summary>How long to wait for a killed process to be reaped.</summary>
    public static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Kills the process and everything it started (also after a graceful exit: children it left behind), waits
    /// for it, deletes the socket file a killed plugin leaves behind (only if it is a socket) and our private
    /// socket directory, then lets go of the process.
    /// </summary>
    public static async Task EndAsync(IPluginProcess process, string? socketPath = null, string? socketDirectory = null)
    {
        process.KillTree();
        await Task.WhenAny(process.Exited, Task.Delay(KillWait)).ConfigureAwait(false);
        RemoveFiles(socketPath, socketDirectory);
        process.Dispose();
    }

    /// <summary>Deletes the socket (if that is what the path names) and the directory, ignoring what is already gone.</summary>
    public static void RemoveFiles(string? socketPath, string? socketDirectory)
    {
        try
        {
            if (socketPath is not null && UnixFileType.IsSocket(socketPath))
            {
                File.Delete(socketPath);
            }

            if (socketDirectory is not null && Directory.Exists(socketDirectory))
            {
                Directory.Delete(socketDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
