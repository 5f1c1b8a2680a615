using System;
using System.IO;
using System.Text;

namespace RpcPlugin.GoPluginServer;

/// <summary>go-plugin's guard against a plugin being run by hand instead of by its host.</summary>
internal static class MagicCookie
{
    // Word for word go-plugin's text (server.go), so that hosts recognise a rejected cookie in the stderr tail.
    private const string Rejection =
        "This binary is a plugin. These are not meant to be executed directly.\n" +
        "Please execute the program that consumes these plugins, which will\n" +
        "load any plugins automatically\n";

    public static bool IsPresent(PluginServerOptions options) =>
        Environment.GetEnvironmentVariable(options.MagicCookieKey) == options.MagicCookieValue;

    public static void WriteRejection()
    {
        using var stderr = Console.OpenStandardError();
        stderr.Write(Encoding.UTF8.GetBytes(Rejection));
        stderr.Flush();
    }
}
