using System.Runtime.InteropServices;
using System.Text;

namespace RpcPlugin.Core.Processes.Unix;

/// <summary>
/// posix_spawn with what System.Diagnostics.Process cannot do: the child gets its own process group (so the
/// terminal's Ctrl+C, meant for PowerShell, does not reach plugins, and the whole group can be killed at once),
/// default signal dispositions (.NET ignores SIGPIPE, which exec would otherwise pass on) and an empty mask.
/// </summary>
internal static unsafe class UnixSpawner
{
    /// <summary>The descriptor number a control socket gets in the child.</summary>
    public const int ControlFd = 3;

    private static bool chdirUnsupported;

    /// <summary>
    /// Starts a process and returns its pid. Descriptors -1 mean /dev/null; <paramref name="controlFd"/>, when
    /// given, becomes the child's descriptor <see cref="ControlFd"/>.
    /// </summary>
    /// <returns>The pid, or the errno posix_spawn reported as a negative number.</returns>
    public static int Spawn(ProcessStartSpec spec, int stdinFd, int stdoutFd, int stderrFd, int controlFd = -1)
    {
        string path = spec.FilePath;
        IReadOnlyList<string> argv = new[] { spec.FilePath }.Concat(spec.Arguments).ToArray();
        bool useChdir = !chdirUnsupported;
        if (!useChdir)
        {
            // Without posix_spawn_file_actions_addchdir_np, let sh change directory and exec the plugin in place
            // (same pid); the arguments travel as positional parameters, never parsed by the shell.
            path = "/bin/sh";
            argv = new[] { "sh", "-c", "cd \"$0\" && exec \"$@\"", spec.WorkingDirectory, spec.FilePath }
                .Concat(spec.Arguments).ToArray();
        }

        var strings = new List<IntPtr>();
        int duplicate = -1;
        IntPtr actions = Marshal.AllocHGlobal(UnixNative.OpaqueStructSize);
        IntPtr attributes = Marshal.AllocHGlobal(UnixNative.OpaqueStructSize);
        IntPtr emptySet = Marshal.AllocHGlobal(UnixNative.OpaqueStructSize);
        IntPtr defaultSet = Marshal.AllocHGlobal(UnixNative.OpaqueStructSize);
        try
        {
            Check(UnixNative.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            Check(UnixNative.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            try
            {
                byte* devNull = Utf8(strings, "/dev/null");
                Redirect(actions, stdinFd, 0, devNull, UnixNative.ORdOnly);
                Redirect(actions, stdoutFd, 1, devNull, 1);
                Redirect(actions, stderrFd, 2, devNull, 1);
                if (controlFd >= 0)
                {
                    // dup2 onto itself would leave close-on-exec set: move it out of the way first.
                    const int DuplicateCloseOnExec = 1030; // F_DUPFD_CLOEXEC
                    int source = controlFd;
                    if (controlFd == ControlFd)
                    {
                        source = duplicate = UnixNative.fcntl(controlFd, DuplicateCloseOnExec, 10);
                    }

                    Check(UnixNative.posix_spawn_file_actions_adddup2(actions, source, ControlFd), "posix_spawn_file_actions_adddup2");
                }
                if (useChdir && !TryAddChdir(actions, Utf8(strings, spec.WorkingDirectory)))
                {
                    chdirUnsupported = true;
                    return Spawn(spec, stdinFd, stdoutFd, stderrFd, controlFd);
                }

                UnixNative.sigemptyset(emptySet);
                UnixNative.sigfillset(defaultSet);
                UnixNative.sigdelset(defaultSet, UnixNative.SIGKILL);
                UnixNative.sigdelset(defaultSet, UnixNative.SigStop);
                Check(UnixNative.posix_spawnattr_setflags(
                    attributes,
                    UnixNative.SpawnSetProcessGroup | UnixNative.SpawnSetSignalDefault | UnixNative.SpawnSetSignalMask),
                    "posix_spawnattr_setflags");
                Check(UnixNative.posix_spawnattr_setpgroup(attributes, 0), "posix_spawnattr_setpgroup");
                Check(UnixNative.posix_spawnattr_setsigmask(attributes, emptySet), "posix_spawnattr_setsigmask");
                Check(UnixNative.posix_spawnattr_setsigdefault(attributes, defaultSet), "posix_spawnattr_setsigdefault");

                byte** nativeArgv = Vector(strings, argv);
                byte** nativeEnvp = Vector(strings, spec.Environment.Select(kv => kv.Key + "=" + kv.Value).ToArray());
                int error = UnixNative.posix_spawn(out int pid, Utf8(strings, path), actions, attributes, nativeArgv, nativeEnvp);
                return error == 0 ? pid : -error;
            }
            finally
            {
                UnixNative.posix_spawnattr_destroy(attributes);
                UnixNative.posix_spawn_file_actions_destroy(actions);
            }
        }
        finally
        {
            foreach (IntPtr s in strings)
            {
                Marshal.FreeHGlobal(s);
            }

            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attributes);
            Marshal.FreeHGlobal(emptySet);
            Marshal.FreeHGlobal(defaultSet);
            if (duplicate >= 0)
            {
                UnixNative.close(duplicate);
            }
        }
    }

    private static void Redirect(IntPtr actions, int fd, int target, byte* devNull, int openFlags)
    {
        int result = fd >= 0
            ? UnixNative.posix_spawn_file_actions_adddup2(actions, fd, target)
            : UnixNative.posix_spawn_file_actions_addopen(actions, target, devNull, openFlags, 0);
        Check(result, "posix_spawn_file_actions");
    }

    private static bool TryAddChdir(IntPtr actions, byte* directory)
    {
        try
        {
            Check(UnixNative.posix_spawn_file_actions_addchdir_np(actions, directory), "posix_spawn_file_actions_addchdir_np");
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{call} failed with error {result}.");
        }
    }

    private static byte* Utf8(List<IntPtr> owned, string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        IntPtr buffer = Marshal.AllocHGlobal(length + 1);
        owned.Add(buffer);
        var span = new Span<byte>((void*)buffer, length + 1);
        Encoding.UTF8.GetBytes(value, span);
        span[length] = 0;
        return (byte*)buffer;
    }

    private static byte** Vector(List<IntPtr> owned, IReadOnlyList<string> values)
    {
        IntPtr buffer = Marshal.AllocHGlobal(IntPtr.Size * (values.Count + 1));
        owned.Add(buffer);
        byte** vector = (byte**)buffer;
        for (int i = 0; i < values.Count; i++)
        {
            vector[i] = Utf8(owned, values[i]);
        }

        vector[values.Count] = null;
        return vector;
    }
}
