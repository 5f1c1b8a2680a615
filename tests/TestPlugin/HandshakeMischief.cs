using System;

namespace RpcPlugin.TestPlugin;

/// <summary>Turns the correct handshake line into the broken output a mode asks for.</summary>
internal static class HandshakeMischief
{
    public static Func<string, string?>? For(TestPluginModes modes)
    {
        if (modes.NoHandshake)
        {
            return _ => null;
        }

        if (modes.Garbage)
        {
            return _ => "TestPlugin: starting up\nwarming the caches\n1|1|carrier-pigeon|nowhere|grpc|";
        }

        if (!modes.WrongCore && !modes.WrongAppVersion && !modes.NetRpc && !modes.NoiseThenHandshake)
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

            if (modes.WrongAppVersion)
            {
                fields[1] = "99";
            }

            if (modes.NetRpc)
            {
                fields[4] = "netrpc";
            }

            var broken = string.Join('|', fields);
            return modes.NoiseThenHandshake ? "TestPlugin 1.0 (c) nobody\n\nloading config...\n" + broken : broken;
        };
    }
}
