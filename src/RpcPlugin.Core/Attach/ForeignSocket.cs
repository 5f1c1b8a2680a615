using System.Runtime.InteropServices;
using RpcPlugin.Core.Processes.Unix;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Attach;

/// <summary>
/// Notices a unix socket that belongs to another user: connecting to it talks to a process someone else controls,
/// which a user attaching by address should know.
/// </summary>
internal static class ForeignSocket
{
    /// <summary>A warning when the socket's owner is not the current user, else null.</summary>
    public static string? OwnerWarning(PluginEndpoint endpoint)
    {
        if (endpoint.Network != "unix" || OperatingSystem.IsWindows())
        {
            return null;
        }

        int? owner = OwnerOf(endpoint.Address);
        int me = UnixNative.getuid();
        return owner is int uid && uid != me
            ? $"The socket {endpoint.Address} belongs to user id {uid}, not to you (user id {me}): the process behind it is not yours."
            : null;
    }

    private static int? OwnerOf(string path)
    {
        // stat(2)'s struct differs per platform and architecture; statx(2) has one layout on every Linux, the
        // platform we test. Elsewhere the warning is simply not given.
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // stx_uid is the 32-bit field at offset 20 of struct statx.
            const int AtFdCwd = -100, StatxUid = 0x0008;
            byte[] buffer = new byte[256];
            return statx(AtFdCwd, path, 0, StatxUid, buffer) == 0 ? BitConverter.ToInt32(buffer, 20) : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null; // glibc older than 2.28
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, string path, int flags, int mask, byte[] buffer);
}
