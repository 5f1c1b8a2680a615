using System;
using System.IO;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>A temporary folder for .proto files a test writes, deleted when the test ends.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder()
    {
        Path = DescriptorTestFiles.NewScratchFolder();
    }

    public string Path { get; }

    public string Write(string relativePath, string text) => DescriptorTestFiles.Write(Path, relativePath, text);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is not worth failing a test for.
        }
    }
}
