using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace RpcPlugin.GoPluginServer;

/// <summary>The line on stdout that tells the host where and how to connect.</summary>
internal static class HandshakeLine
{
    /// <summary>go-plugin's <c>CoreProtocolVersion</c>: the version of the handshake itself.</summary>
    public const int CoreProtocolVersion = 1;

    /// <summary><c>CORE|APP|NETWORK|ADDRESS|PROTOCOL|CERT</c>, as go-plugin's server.go prints it.</summary>
    public static string Format(int appVersion, string network, string address, string? certificate) =>
        string.Create(CultureInfo.InvariantCulture, $"{CoreProtocolVersion}|{appVersion}|{network}|{address}|grpc|{certificate}");

    /// <summary>Writes the text and a newline straight to the stdout file, unbuffered, in one write.</summary>
    public static void Print(string text)
    {
        try
        {
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(Encoding.UTF8.GetBytes(text + "\n"));
            stdout.Flush();
        }
        catch (IOException)
        {
            // No one reads our stdout any more; the host will time out on its own.
        }
    }
}
