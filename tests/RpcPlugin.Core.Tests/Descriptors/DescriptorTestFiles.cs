using System;
using System.IO;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>Where the descriptor tests find their inputs, and scratch folders for the files they write.</summary>
internal static class DescriptorTestFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The repository's protos/ folder, the import path of protos/test/testplugin.proto.</summary>
    public static string Protos => Path.Combine(RepositoryRoot, "protos");

    public static string TestPluginProto => Path.Combine(Protos, "test", "testplugin.proto");

    /// <summary>The test project's own comment-placement file (Descriptors/Protos/comments.proto).</summary>
    public static string CommentsProto => Path.Combine(RepositoryRoot, "tests", "RpcPlugin.Core.Tests", "Descriptors", "Protos", "comments.proto");

    /// <summary>protoc's descriptor set of protos/test/testplugin.proto (with imports and source info), written at build time.</summary>
    public static string TestPluginSet => Path.Combine(AppContext.BaseDirectory, "descriptor-sets", "testplugin.protoset");

    /// <summary>protoc's descriptor set of comments.proto (with source info, without imports), written at build time.</summary>
    public static string CommentsSet => Path.Combine(AppContext.BaseDirectory, "descriptor-sets", "comments.protoset");

    /// <summary>A new empty folder under the system temp folder; the caller deletes it.</summary>
    public static string NewScratchFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), "rpcplugin-descriptors-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes a file (making its folders) and returns its path.</summary>
    public static string Write(string folder, string relativePath, string text)
    {
        string path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string FindRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Directory.Build.props")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
    }
}

/// <summary>A test that needs the descriptor sets protoc writes at build time; skipped, saying why, where they were not written.</summary>
internal sealed class DescriptorSetFactAttribute : FactAttribute
{
    public DescriptorSetFactAttribute()
    {
        if (!File.Exists(DescriptorTestFiles.TestPluginSet) || !File.Exists(DescriptorTestFiles.CommentsSet))
        {
            Skip = "The protoc-written descriptor sets are missing: the test project writes them only on linux x64, with Grpc.Tools' protoc (" + DescriptorTestFiles.TestPluginSet + ").";
        }
    }
}
