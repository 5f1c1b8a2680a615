using System;
using System.Globalization;

namespace RpcPlugin.TestPlugin;

/// <summary>The misbehaviours asked for in <c>TESTPLUGIN_MODE</c> (a comma-separated list), see README.md.</summary>
internal sealed class TestPluginModes
{
    public const string Variable = "TESTPLUGIN_MODE";

    public bool NoHandshake { get; private set; }

    public bool Garbage { get; private set; }

    public bool NoiseThenHandshake { get; private set; }

    public bool WrongCore { get; private set; }

    public bool WrongAppVersion { get; private set; }

    public bool NetRpc { get; private set; }

    /// <summary>bom-handshake: a UTF-8 byte order mark before the handshake line.</summary>
    public bool BomHandshake { get; private set; }

    /// <summary>ansi-handshake: the handshake line wrapped in ANSI colour codes.</summary>
    public bool AnsiHandshake { get; private set; }

    /// <summary>huge-core: a core version too large for any integer type.</summary>
    public bool HugeCore { get; private set; }

    /// <summary>no-newline-handshake: the handshake without its newline.</summary>
    public bool NoNewlineHandshake { get; private set; }

    /// <summary>binary-noise: 16 KB of binary junk and an unfinished line on stdout instead of a handshake.</summary>
    public bool BinaryNoise { get; private set; }

    public bool ExitEarly { get; private set; }

    public int SlowStartMs { get; private set; }

    public bool IgnoreShutdown { get; private set; }

    public bool IgnoreSigterm { get; private set; }

    /// <summary>Test-service calls plus streamed replies allowed before the plugin crashes; null for never.</summary>
    public int? CrashAfter { get; private set; }

    public bool WrongCert { get; private set; }

    public bool SpawnChild { get; private set; }

    /// <summary>spawn-child:setsid or spawn-child:setpgid: how the grandchild leaves the plugin's group; null when it stays.</summary>
    public string? GrandchildEscape { get; private set; }

    /// <summary>Echo/Unary answers with bytes that are not an EchoReply.</summary>
    public bool BadResponse { get; private set; }

    /// <summary>Megabytes of junk to write to stdout and to stderr after the handshake; 0 for none.</summary>
    public int FloodMegabytes { get; private set; }

    /// <summary>Server-reflection streams to leave unanswered (from the first); 0 for none.</summary>
    public int SilentReflectionStreams { get; private set; }

    /// <summary>A marker file: when it does not exist yet, the plugin creates it and drops its first connection.</summary>
    public string? DropFirstConnectionMarker { get; private set; }

    /// <exception cref="FormatException">An entry is unknown or its number is missing.</exception>
    public static TestPluginModes Parse(string? text)
    {
        var modes = new TestPluginModes();
        foreach (var entry in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, argument) = entry.IndexOf(':') is var colon and >= 0 ? (entry[..colon], entry[(colon + 1)..]) : (entry, null);
            switch (name.ToLowerInvariant())
            {
                case "no-handshake": modes.NoHandshake = true; break;
                case "garbage": modes.Garbage = true; break;
                case "noise-then-handshake": modes.NoiseThenHandshake = true; break;
                case "wrong-core": modes.WrongCore = true; break;
                case "wrong-app-version": modes.WrongAppVersion = true; break;
                case "netrpc": modes.NetRpc = true; break;
                case "bom-handshake": modes.BomHandshake = true; break;
                case "ansi-handshake": modes.AnsiHandshake = true; break;
                case "huge-core": modes.HugeCore = true; break;
                case "no-newline-handshake": modes.NoNewlineHandshake = true; break;
                case "binary-noise": modes.BinaryNoise = true; break;
                case "exit-early": modes.ExitEarly = true; break;
                case "slow-start": modes.SlowStartMs = Number(entry, argument); break;
                case "ignore-shutdown": modes.IgnoreShutdown = true; break;
                case "ignore-sigterm": modes.IgnoreSigterm = true; break;
                case "crash-after": modes.CrashAfter = Number(entry, argument); break;
                case "wrong-cert": modes.WrongCert = true; break;
                case "spawn-child":
                    modes.SpawnChild = true;
                    modes.GrandchildEscape = argument switch
                    {
                        null => null,
                        "setsid" or "setpgid" => argument,
                        _ => throw new FormatException($"{Variable} entry '{entry}': after the colon give setsid or setpgid"),
                    };
                    break;
                case "bad-response": modes.BadResponse = true; break;
                case "flood": modes.FloodMegabytes = Number(entry, argument); break;
                case "silent-reflection": modes.SilentReflectionStreams = Number(entry, argument); break;
                case "drop-first-connection": modes.DropFirstConnectionMarker = string.IsNullOrEmpty(argument) ? throw new FormatException($"{entry}: give a marker file path after the colon") : argument; break;
                default: throw new FormatException($"unknown {Variable} entry '{entry}'");
            }
        }

        return modes;
    }

    private static int Number(string entry, string? argument) =>
        int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{Variable} entry '{entry}' needs a number after the colon");
}
