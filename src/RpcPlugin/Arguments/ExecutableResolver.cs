using System.Management.Automation;

namespace RpcPlugin.Arguments;

/// <summary>
/// Resolves the plugin path the way a shell user expects: relative to the current PowerShell location (not the
/// process's directory), and a bare name found on PATH when no such file is here. On Windows a name without one of
/// the PATHEXT extensions also finds the program with one (<c>.\plugin</c> runs <c>.\plugin.exe</c>, as
/// <c>&amp; .\plugin</c> does in PowerShell), for paths and bare names alike.
/// </summary>
internal static class ExecutableResolver
{
    public static string Resolve(PSCmdlet cmdlet, string path)
    {
        string candidate = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        string? found = FindProgram(candidate);
        if (found is not null || path.IndexOfAny(new[] { '/', '\\' }) >= 0)
        {
            return found ?? candidate;
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
        return directories.Select(directory => FindProgram(Path.Combine(directory, name))).FirstOrDefault(found => found is not null);
    }

    /// <summary>
    /// The program at this path: on Windows, unless the name already ends in a PATHEXT extension, the path plus the
    /// first PATHEXT extension that exists comes first (Windows would not run an extensionless file as a program);
    /// then the file as named.
    /// </summary>
    private static string? FindProgram(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            string[] extensions = (Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD")
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (!extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
            {
                string? withExtension = extensions.Select(extension => path + extension).FirstOrDefault(File.Exists);
                if (withExtension is not null)
                {
                    return withExtension;
                }
            }
        }

        return File.Exists(path) ? path : null;
    }
}
