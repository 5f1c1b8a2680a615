using System;
using System.IO;
using System.Text;

namespace RpcPlugin.TestPlugin;

/// <summary>Unbuffered writes to the real stdout and stderr files, bypassing everything .NET puts in between.</summary>
internal static class RawConsole
{
    public static readonly Stream Stdout = Console.OpenStandardOutput();
    public static readonly Stream Stderr = Console.OpenStandardError();

    public static void Write(Stream stream, string text)
    {
        lock (stream)
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush();
        }
    }
}
