using System;
using System.IO;

namespace RpcPlugin.Core.Tests;

/// <summary>Finds the test plugin: RPCPLUGIN_TESTPLUGIN (set by build.ps1), else the build output next to this test project.</summary>
internal static class TestPluginLocator
{
    public static string Path
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable("RPCPLUGIN_TESTPLUGIN");
            if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
            {
                return configured;
            }

            string? directory = AppContext.BaseDirectory;
            while (directory is not null && !File.Exists(System.IO.Path.Combine(directory, "Directory.Build.props")))
            {
                directory = System.IO.Path.GetDirectoryName(directory);
            }

            if (directory is null)
            {
                throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
            }

            string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            string candidate = System.IO.Path.Combine(directory, "tests", "TestPlugin", "bin", configuration, "net10.0", "TestPlugin");
            return File.Exists(candidate)
                ? candidate
                : throw new InvalidOperationException("The test plugin is not built: " + candidate);
        }
    }
}
