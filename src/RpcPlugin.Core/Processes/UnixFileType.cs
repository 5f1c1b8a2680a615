using System.Runtime.InteropServices;

namespace RpcPlugin.Core.Processes;

/// <summary>
/// Tells a unix socket file from other files, so that cleaning up after a plugin deletes the socket it served on
/// and never a regular file whose path a plugin printed.
/// </summary>
internal static class UnixFileType
{
    /// <summary>Whether the path (not followed if it is a symbolic link) is a unix socket.</summary>
    public static bool IsSocket(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false; // go-plugin on Windows serves on tcp only
        }

        if (!OperatingSystem.IsLinux())
        {
            // stat(2)'s layout differs per platform: without statx, trust a path we connected to as a socket.
            return File.Exists(path) && !Directory.Exists(path) && (File.GetAttributes(path) & FileAttributes.ReparsePoint) == 0;
        }

        try
        {
            // struct statx has one layout on every Linux: stx_mode is the 16-bit field at offset 28.
            const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, StatxType = 0x0001;
            const int TypeMask = 0xF000, Socket = 0xC000;
            byte[] buffer = new byte[256];
            return statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) == 0
                && (BitConverter.ToUInt16(buffer, 28) & TypeMask) == Socket;
        }
        catch (EntryPointNotFoundException)
        {
            return File.Exists(path); // glibc older than 2.28
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, string path, int flags, int mask, byte[] buffer);
}
