using System.Runtime.InteropServices;

namespace RpcPlugin.Core.Processes.Unix;

/// <summary>The libc calls the Unix launcher needs. Layouts that differ between glibc and macOS stay opaque.</summary>
internal static unsafe class UnixNative
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int EINTR = 4;
    public const int ESRCH = 3;
    public const int ECHILD = 10;
    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int ENOEXEC = 8;
    public const int ORdOnly = 0;

    // posix_spawnattr flags: the same values on glibc and macOS.
    public const short SpawnSetProcessGroup = 0x02;
    public const short SpawnSetSignalDefault = 0x04;
    public const short SpawnSetSignalMask = 0x08;

    // Generous sizes for opaque libc structures (glibc: attr 336, file actions 80, sigset 128 bytes; macOS: pointers).
    public const int OpaqueStructSize = 1024;

    private const string Libc = "libc";

    public static int SigStop => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 17 : 19;

    public static int OCloExec => OperatingSystem.IsMacOS() ? 0x01000000 : 0x80000;

    [DllImport(Libc, SetLastError = true)]
    public static extern int pipe(int* fds);

    [DllImport(Libc, SetLastError = true)]
    public static extern int pipe2(int* fds, int flags);

    [DllImport(Libc, SetLastError = true)]
    public static extern int fcntl(int fd, int cmd, int arg);

    [DllImport(Libc, SetLastError = true)]
    public static extern int socketpair(int domain, int type, int protocol, int* fds);

    [DllImport(Libc, SetLastError = true)]
    public static extern int close(int fd);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_init(IntPtr actions);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_destroy(IntPtr actions);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_adddup2(IntPtr actions, int fd, int newfd);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_addopen(IntPtr actions, int fd, byte* path, int oflag, int mode);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_addchdir_np(IntPtr actions, byte* path);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_init(IntPtr attributes);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_destroy(IntPtr attributes);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_setflags(IntPtr attributes, short flags);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_setpgroup(IntPtr attributes, int processGroup);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_setsigmask(IntPtr attributes, IntPtr signals);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_setsigdefault(IntPtr attributes, IntPtr signals);

    [DllImport(Libc)]
    public static extern int sigemptyset(IntPtr signals);

    [DllImport(Libc)]
    public static extern int sigfillset(IntPtr signals);

    [DllImport(Libc)]
    public static extern int sigdelset(IntPtr signals, int signal);

    [DllImport(Libc)]
    public static extern int posix_spawn(out int pid, byte* path, IntPtr actions, IntPtr attributes, byte** argv, byte** envp);

    [DllImport(Libc, SetLastError = true)]
    public static extern int waitpid(int pid, out int status, int options);

    [DllImport(Libc, SetLastError = true)]
    public static extern int kill(int pid, int signal);

    [DllImport(Libc)]
    public static extern int getuid();

    /// <summary>Whether a <c>waitpid</c> status says a signal ended the process (rather than its own exit).</summary>
    public static bool KilledBySignal(int status) => status != -1 && (status & 0x7f) != 0;

    /// <summary>Decodes a <c>waitpid</c> status: the exit code, or 128 + the signal that ended the process; -1 for unknown.</summary>
    public static int DecodeWaitStatus(int status)
    {
        if (status == -1)
        {
            return -1;
        }

        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    /// <summary>A connected pair of unix stream sockets, both closed on exec (Linux: the launcher's control line).</summary>
    public static (int Mine, int Theirs) CreateSocketPair()
    {
        const int Unix = 1, Stream = 1, CloseOnExec = 0x80000; // AF_UNIX, SOCK_STREAM, SOCK_CLOEXEC (Linux)
        int* fds = stackalloc int[2];
        if (socketpair(Unix, Stream | CloseOnExec, 0, fds) != 0)
        {
            throw new InvalidOperationException($"socketpair() failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        return (fds[0], fds[1]);
    }

    /// <summary>Creates a pipe whose both ends are closed on exec, so no other child inherits them.</summary>
    public static (int Read, int Write) CreatePipe()
    {
        int* fds = stackalloc int[2];
        int result;
        try
        {
            result = pipe2(fds, OCloExec);
        }
        catch (EntryPointNotFoundException)
        {
            // macOS has no pipe2: set close-on-exec right after creating the pipe.
            result = pipe(fds);
            if (result == 0)
            {
                const int SetDescriptorFlags = 2, CloseOnExec = 1;
                fcntl(fds[0], SetDescriptorFlags, CloseOnExec);
                fcntl(fds[1], SetDescriptorFlags, CloseOnExec);
            }
        }

        if (result != 0)
        {
            throw new InvalidOperationException($"pipe() failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        return (fds[0], fds[1]);
    }
}
