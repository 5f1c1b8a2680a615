using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>Descriptor sets as protoc writes them (made at build time with Grpc.Tools' protoc).</summary>
public class DescriptorSetLoaderTests
{
    [DescriptorSetFact]
    public void Loading_protocs_set_gives_the_same_pool_as_parsing_the_proto()
    {
        var fromSet = DescriptorPool.Build(DescriptorSetLoader.Load(DescriptorTestFiles.TestPluginSet));
        var fromProto = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.TestPluginProto }, new[] { DescriptorTestFiles.Protos }));

        Assert.Equal(fromProto.Files.Select(f => f.Name), fromSet.Files.Select(f => f.Name));
        Assert.Equal(fromProto.Services.Select(s => s.FullName), fromSet.Services.Select(s => s.FullName));
        for (int i = 0; i < fromSet.Files.Count; i++)
        {
            var expected = fromSet.Files[i].ToProto();
            var actual = fromProto.Files[i].ToProto();
            expected.SourceCodeInfo = null;
            actual.SourceCodeInfo = null;
            Assert.Equal(expected, actual);
        }

        var setFile = fromSet.Files.Single(f => f.Package == "testplugin");
        var protoFile = fromProto.Files.Single(f => f.Package == "testplugin");
        var pairs = DescriptorAssert.AllDescriptors(setFile).Zip(DescriptorAssert.AllDescriptors(protoFile));
        foreach (var (fromProtoc, parsed) in pairs)
        {
            Assert.Equal(fromProtoc.FullName, parsed.FullName);
            Assert.Equal(fromSet.GetComments(fromProtoc), fromProto.GetComments(parsed));
        }

        Assert.Equal(DescriptorSourceKind.DescriptorSet, fromSet.GetOrigin(setFile).Kind);
        Assert.Equal(DescriptorTestFiles.TestPluginSet, fromSet.GetOrigin(setFile).Source);
    }

    [DescriptorSetFact]
    public void The_JSON_form_of_a_set_loads_too()
    {
        using var scratch = new ScratchFolder();
        var set = FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(DescriptorTestFiles.TestPluginSet));
        string json = scratch.Write("set.json", JsonFormatter.Default.Format(set));

        var pool = DescriptorPool.Build(DescriptorSetLoader.Load(json));

        Assert.NotNull(pool.FindService("testplugin.Echo"));
    }

    [Fact]
    public void A_file_that_is_not_a_descriptor_set_is_refused()
    {
        using var scratch = new ScratchFolder();
        string text = scratch.Write("notes.txt", "syntax = \"proto3\"; this is a .proto, not a descriptor set\n");

        var error = Assert.Throws<PluginException>(() => DescriptorSetLoader.Load(text));

        Assert.Equal(PluginErrorCode.DescriptorInvalid, error.Code);
        Assert.Contains(text, error.Message);
        Assert.Contains("not a FileDescriptorSet", error.Message);
    }

    [Fact]
    public void A_missing_set_is_named()
    {
        string missing = Path.Combine(Path.GetTempPath(), "rpcplugin-no-such-set.protoset");

        var error = Assert.Throws<PluginException>(() => DescriptorSetLoader.Load(missing));

        Assert.Equal(PluginErrorCode.DescriptorInvalid, error.Code);
        Assert.Contains(missing, error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void A_set_without_its_imports_is_reported_when_the_pool_is_built()
    {
        using var scratch = new ScratchFolder();
        var set = new FileDescriptorSet();
        set.File.Add(new FileDescriptorProto
        {
            Name = "orders.proto",
            Package = "shop",
            Syntax = "proto3",
            Dependency = { "shop/money.proto" },
        });
        string path = Path.Combine(scratch.Path, "orders.protoset");
        File.WriteAllBytes(path, set.ToByteArray());

        var files = DescriptorSetLoader.Load(path);
        var error = Assert.Throws<PluginException>(() => DescriptorPool.Build(files));

        Assert.Equal(PluginErrorCode.DescriptorInvalid, error.Code);
        Assert.Contains("shop/money.proto", error.Message);
        Assert.Contains(path, error.Message);
    }
}
