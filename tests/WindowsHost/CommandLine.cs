using System;
using System.Collections.Generic;

namespace RpcPlugin.WindowsHost;

/// <summary>
/// The part of pwsh's command line that the lane uses: <c>[-NoProfile] [-NonInteractive] -File script [args]</c>
/// or <c>-Command text</c>. Script arguments bind as pwsh binds them: <c>-Name value</c>, <c>-Name:value</c>, a
/// <c>-Switch</c> (followed by another parameter name or nothing), and positional values.
/// </summary>
internal sealed class CommandLine
{
    private CommandLine(string? file, string? command, IReadOnlyList<ScriptArgument> arguments)
    {
        File = file;
        Command = command;
        Arguments = arguments;
    }

    /// <summary>The script to run (-File).</summary>
    public string? File { get; }

    /// <summary>The script text to run (-Command).</summary>
    public string? Command { get; }

    /// <summary>The script's arguments (-File only).</summary>
    public IReadOnlyList<ScriptArgument> Arguments { get; }

    /// <summary>Reads the command line; throws <see cref="ArgumentException"/> with usage on anything else.</summary>
    public static CommandLine Parse(string[] args)
    {
        int i = 0;
        while (i < args.Length && (Is(args[i], "-NoProfile") || Is(args[i], "-NonInteractive") || Is(args[i], "-NoLogo")))
        {
            i++;
        }

        if (i + 1 < args.Length && Is(args[i], "-Command"))
        {
            return new CommandLine(null, string.Join(' ', args[(i + 1)..]), Array.Empty<ScriptArgument>());
        }

        if (i + 1 < args.Length && Is(args[i], "-File"))
        {
            return new CommandLine(args[i + 1], null, ParseScriptArguments(args[(i + 2)..]));
        }

        throw new ArgumentException("usage: WindowsHost [-NoProfile] [-NonInteractive] (-File <script> [arguments] | -Command <text>)");
    }

    private static List<ScriptArgument> ParseScriptArguments(string[] args)
    {
        var result = new List<ScriptArgument>();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg.Length < 2 || arg[0] != '-' || char.IsDigit(arg[1]))
            {
                result.Add(new ScriptArgument(null, arg));
                continue;
            }

            int colon = arg.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                result.Add(new ScriptArgument(arg[1..colon], arg[(colon + 1)..]));
            }
            else if (i + 1 < args.Length && !(args[i + 1].StartsWith('-') && args[i + 1].Length > 1 && !char.IsDigit(args[i + 1][1])))
            {
                result.Add(new ScriptArgument(arg[1..], args[++i]));
            }
            else
            {
                result.Add(new ScriptArgument(arg[1..], true));
            }
        }

        return result;
    }

    private static bool Is(string arg, string name) => arg.Equals(name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One script argument: named (<see cref="Name"/> set) or positional.</summary>
internal sealed record ScriptArgument(string? Name, object Value);
