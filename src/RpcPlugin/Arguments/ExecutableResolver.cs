using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace RpcPlugin.Arguments;

/// <summary>
/// Resolves the plugin path the way a shell user expects: relative to the current PowerShell location (not the
/// process's directory), and a bare name found on PATH when no such file is here.
/// </summary>
internal static class ExecutableResolver
{
    public static string Resolve(PSCmdlet cmdlet, string path)
    {
        string candidate = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        if (File.Exists(candidate) || path.IndexOfAny(new[] { '/', '\\' }) >= 0)
        {
            return candidate;
        }

        return SearchPath(path) ?? candidate;
    }

    /// <summary>Resolves a directory relative to the current location; it must exist.</summary>
    public static string ResolveDirectory(PSCmdlet cmdlet, string path)
    {
        string resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        return Directory.Exists(resolved) ? resolved
            : File.Exists(resolved) ? throw new ArgumentException($"'{resolved}' is a file, not a directory: give the directory the plugin should run in.")
            : throw new ArgumentException($"The directory '{resolved}' does not exist.");
    }

    private static string? SearchPath(string name)
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string[] extensions = OperatingSystem.IsWindows()
            ? new[] { string.Empty }.Concat((Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE").Split(';', StringSplitOptions.RemoveEmptyEntries)).ToArray()
            : new[] { string.Empty };
        foreach (string directory in directories)
        {
            foreach (string extension in extensions)
            {
                string full = Path.Combine(directory, name + extension);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }

        return null;
    }
}
