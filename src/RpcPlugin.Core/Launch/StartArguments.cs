using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Core.Launch;

/// <summary>
/// Checks what a plugin will be given before anything runs: what the operating system cannot pass on (a null,
/// a NUL character in an argument or in the environment, a variable name with '=') would otherwise fail obscurely,
/// be cut silently, or end as the plugin's refusal of its magic cookie.
/// </summary>
internal static class StartArguments
{
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/> naming what is wrong.</exception>
    public static void Check(PluginStartInfo info)
    {
        for (int i = 0; i < info.Arguments.Count; i++)
        {
            string? argument = info.Arguments[i];
            if (argument is null)
            {
                throw Invalid($"The plugin's argument {i + 1} (of {info.Arguments.Count}) is null; every argument must be a string (an empty string is fine).");
            }

            if (argument.Contains('\0', StringComparison.Ordinal))
            {
                throw Invalid($"The plugin's argument {i + 1} contains a NUL character, which no program can receive in its arguments.");
            }
        }

        // The magic cookie travels as one more environment variable, so it obeys the same rules.
        CheckVariable(info.MagicCookieKey, info.MagicCookieValue, "The magic cookie's variable");
        foreach ((string key, string? value) in info.Environment)
        {
            CheckVariable(key, value, "The environment variable");
        }

        if (info.WorkingDirectory is { } directory && !Directory.Exists(directory))
        {
            throw Invalid(File.Exists(directory)
                ? $"The working directory '{directory}' is a file, not a directory."
                : $"The working directory '{directory}' does not exist.");
        }

        TimeoutRange.Check(info.StartTimeout, "start timeout");
    }

    private static void CheckVariable(string key, string? value, string what)
    {
        if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid($"{what} name '{key}' is not valid: it must be non-empty and contain neither '=' nor a NUL character.");
        }

        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid($"{what} '{key}' has a value with a NUL character, which no program can receive.");
        }
    }

    private static PluginException Invalid(string message) => new(PluginErrorCode.InvalidArgument, message);
}
