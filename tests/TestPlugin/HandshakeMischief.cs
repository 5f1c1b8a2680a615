using System;
using System.IO;

namespace RpcPlugin.TestPlugin;

/// <summary>Turns the correct handshake line into the broken output a mode asks for.</summary>
internal static class HandshakeMischief
{
    /// <summary>The last words of binary-noise, printed without a newline.</summary>
    public const string UnfinishedLine = "still loading the plugin catalogue";

    public static Func<string, string?>? For(TestPluginModes modes)
    {
        if (modes.NoHandshake)
        {
            return _ => null;
        }

        if (modes.BinaryNoise)
        {
            return _ => PrintRaw(BinaryJunk(), "\n" + UnfinishedLine);
        }

        if (modes.Garbage)
        {
            return _ => "TestPlugin: starting up\nwarming the caches\n1|1|carrier-pigeon|nowhere|grpc|";
        }

        if (!modes.WrongCore && !modes.WrongAppVersion && !modes.NetRpc && !modes.NoiseThenHandshake
            && !modes.BomHandshake && !modes.AnsiHandshake && !modes.HugeCore && !modes.NoNewlineHandshake)
        {
            return null;
        }

        return line =>
        {
            var fields = line.Split('|');
            if (modes.WrongCore)
            {
                fields[0] = "2";
            }

            if (modes.HugeCore)
            {
                fields[0] = "99999999999999999999";
            }

            if (modes.WrongAppVersion)
            {
                fields[1] = "99";
            }

            if (modes.NetRpc)
            {
                fields[4] = "netrpc";
            }

            var broken = string.Join('|', fields);
            if (modes.AnsiHandshake)
            {
                broken = "\u001b[1;32m" + broken + "\u001b[0m";
            }

            if (modes.BomHandshake)
            {
                broken = "\uFEFF" + broken;
            }

            if (modes.NoiseThenHandshake)
            {
                broken = "TestPlugin 1.0 (c) nobody\n\nloading config...\n" + broken;
            }

            return modes.NoNewlineHandshake ? PrintRaw(Array.Empty<byte>(), broken) : broken;
        };
    }

    /// <summary>Writes the bytes and then the text, with no newline after it; returns null (nothing left to print).</summary>
    private static string? PrintRaw(byte[] bytes, string text)
    {
        try
        {
            lock (RawConsole.Stdout)
            {
                RawConsole.Stdout.Write(bytes);
                RawConsole.Stdout.Write(System.Text.Encoding.UTF8.GetBytes(text));
                RawConsole.Stdout.Flush();
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>16 KB of every byte value (NUL, escape, invalid UTF-8 included), a newline every 4 KB or so.</summary>
    private static byte[] BinaryJunk()
    {
        var junk = new byte[16 * 1024];
        var random = new Random(17);
        random.NextBytes(junk);
        for (int i = 0; i < junk.Length; i++)
        {
            if (junk[i] == (byte)'\n')
            {
                junk[i] = 0;
            }
        }

        for (int i = 4000; i < junk.Length; i += 4000)
        {
            junk[i] = (byte)'\n';
        }

        return junk;
    }
}
