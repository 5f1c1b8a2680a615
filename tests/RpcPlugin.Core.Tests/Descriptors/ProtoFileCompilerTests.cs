using System;
using System.IO;
using System.Linq;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>Parsing .proto files in-process (no protoc on the user's machine).</summary>
public class ProtoFileCompilerTests
{
    [Fact]
    public void Parsing_testplugin_proto_gives_the_messages_and_services_of_the_generated_code()
    {
        var files = ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.TestPluginProto }, new[] { DescriptorTestFiles.Protos });

        var parsed = Assert.Single(files, f => f.Proto.Package == "testplugin");
        Assert.Equal("test/testplugin.proto", parsed.Proto.Name);
        Assert.Equal(DescriptorSourceKind.ProtoFile, parsed.Kind);
        Assert.Equal(DescriptorTestFiles.TestPluginProto, parsed.Source);
        DescriptorAssert.SameDefinitions(TestpluginReflection.Descriptor.ToProto(), parsed.Proto);
    }

    [Fact]
    public void Well_known_imports_resolve_without_copies_and_become_Google_Protobufs_own()
    {
        var pool = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.TestPluginProto }, new[] { DescriptorTestFiles.Protos }));

        var allTypes = pool.FindMessage("testplugin.AllTypes")!;
        Assert.Same(Duration.Descriptor, allTypes.FindFieldByName("w_duration").MessageType);
        Assert.Same(Struct.Descriptor, allTypes.FindFieldByName("w_struct").MessageType);
        Assert.Same(Timestamp.Descriptor, pool.FindMessage("google.protobuf.Timestamp"));
        Assert.DoesNotContain(pool.Files, f => f.Name.StartsWith("google/protobuf/", StringComparison.Ordinal));
    }

    [Fact]
    public void Comments_in_the_proto_become_descriptions()
    {
        var pool = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.TestPluginProto }, new[] { DescriptorTestFiles.Protos }));

        var echo = pool.FindService("testplugin.Echo")!;
        Assert.StartsWith("Echoes what it is sent, in each of gRPC's four call shapes, and lets a test steer the plugin.\nEvery method also echoes metadata", pool.GetComments(echo), StringComparison.Ordinal);
        Assert.Equal("Streams count replies, index 0 to count-1, interval_ms milliseconds apart.", pool.GetComments(echo.FindMethodByName("ServerStream")));
        var request = pool.FindMessage("testplugin.EchoRequest")!;
        Assert.Null(pool.GetComments(request));
        Assert.Null(pool.GetComments(request.FindFieldByName("message")));
        Assert.Equal("Milliseconds to wait before replying.", pool.GetComments(request.FindFieldByName("delay_ms")));
        Assert.Equal("One field of every kind protobuf has.", pool.GetComments(pool.FindMessage("testplugin.AllTypes")!));
        Assert.Equal("Scalars.", pool.GetComments(pool.FindMessage("testplugin.AllTypes")!.FindFieldByName("f_int32")));
    }

    [Fact]
    public void A_broken_proto_reports_every_error_with_file_line_and_column()
    {
        using var scratch = new ScratchFolder();
        string bad = scratch.Write("bad.proto", """
            syntax = "proto3";
            package bad;

            message A {
              int32 x = 1
              string y = 2;
            }
            message B { Unknown u = 1; int32 z = 1; }
            service S { rpc M(A) returns (Nope); }
            """);

        var error = Assert.Throws<PluginException>(() => ProtoFileCompiler.Compile(new[] { bad }, Array.Empty<string>()));

        Assert.Equal(PluginErrorCode.DescriptorInvalid, error.Code);
        Assert.Equal("RpcPlugin.DescriptorInvalid", error.ErrorId);
        Assert.Contains($"{bad}:6:3: ", error.Message);
        Assert.Contains($"{bad}:8:13: ", error.Message);
        Assert.Contains($"{bad}:8:38: ", error.Message);
        Assert.Contains($"{bad}:9:31: ", error.Message);
        Assert.Contains("Unknown", error.Message);
        Assert.Contains("Nope", error.Message);
    }

    [Fact]
    public void A_missing_import_is_named()
    {
        using var scratch = new ScratchFolder();
        string main = scratch.Write("main.proto", """
            syntax = "proto3";
            import "missing/thing.proto";
            message M { int32 a = 1; }
            """);

        var error = Assert.Throws<PluginException>(() => ProtoFileCompiler.Compile(new[] { main }, Array.Empty<string>()));

        Assert.Equal(PluginErrorCode.DescriptorInvalid, error.Code);
        Assert.Contains($"{main}:2:8: import \"missing/thing.proto\" was not found", error.Message);
    }

    [Fact]
    public void A_missing_proto_file_is_named()
    {
        string missing = Path.Combine(Path.GetTempPath(), "rpcplugin-no-such-file.proto");

        var error = Assert.Throws<PluginException>(() => ProtoFileCompiler.Compile(new[] { missing }, Array.Empty<string>()));

        Assert.Equal(PluginErrorCode.DescriptorInvalid, error.Code);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void An_import_from_a_second_import_path_resolves()
    {
        using var scratch = new ScratchFolder();
        string main = scratch.Write("app/main.proto", """
            syntax = "proto3";
            package app;
            import "lib/shared.proto";
            message Order { lib.Money total = 1; }
            """);
        scratch.Write("vendor/lib/shared.proto", """
            syntax = "proto3";
            package lib;
            message Money { int64 cents = 1; }
            """);

        var files = ProtoFileCompiler.Compile(new[] { main }, new[] { Path.Combine(scratch.Path, "app"), Path.Combine(scratch.Path, "vendor") });

        var shared = Assert.Single(files, f => f.Proto.Name == "lib/shared.proto");
        Assert.Equal(Path.Combine(scratch.Path, "vendor", "lib", "shared.proto"), shared.Source);
        var order = DescriptorPool.Build(files).FindMessage("app.Order")!;
        Assert.Equal("lib.Money", order.FindFieldByName("total").MessageType.FullName);
    }

    [Fact]
    public void The_folder_of_a_given_file_is_an_import_path_too()
    {
        using var scratch = new ScratchFolder();
        string main = scratch.Write("main.proto", """
            syntax = "proto3";
            import "sibling.proto";
            message M { Sibling s = 1; }
            """);
        scratch.Write("sibling.proto", """
            syntax = "proto3";
            message Sibling { string name = 1; }
            """);

        var files = ProtoFileCompiler.Compile(new[] { main }, Array.Empty<string>());

        Assert.Equal(new[] { "main.proto", "sibling.proto" }, files.Select(f => f.Proto.Name).Order());
        Assert.NotNull(DescriptorPool.Build(files).FindMessage("M"));
    }

    [Fact]
    public void Two_files_with_the_same_name_in_different_folders_both_count()
    {
        using var scratch = new ScratchFolder();
        string a = scratch.Write("a/x.proto", "syntax = \"proto3\";\npackage a;\nmessage A { int32 id = 1; }\n");
        string b = scratch.Write("b/x.proto", "syntax = \"proto3\";\npackage b;\nmessage B { int32 id = 1; }\n");

        var files = ProtoFileCompiler.Compile(new[] { a, b }, Array.Empty<string>());
        var pool = DescriptorPool.Build(files);

        Assert.Equal(new[] { a, b }, files.Select(f => f.Source));
        Assert.Equal(a, pool.GetOrigin(pool.FindMessage("a.A")!).Source);
        Assert.Equal(b, pool.GetOrigin(pool.FindMessage("b.B")!).Source);
        Assert.Equal("x.proto", pool.GetOrigin(pool.FindMessage("b.B")!).FileName);
    }

    [Fact]
    public void Proto2_groups_defaults_and_extensions_parse()
    {
        var pool = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.CommentsProto }, Array.Empty<string>()));

        var corner = pool.FindMessage("comments.Corner")!;
        var group = corner.FindFieldByName("result");
        Assert.Equal(FieldType.Group, group.FieldType);
        Assert.Equal("comments.Corner.Result", group.MessageType.FullName);
        Assert.Equal("a;b{c}", corner.FindFieldByName("left").ToProto().DefaultValue);
        Assert.True(corner.FindFieldByName("counts").IsMap);
        Assert.Equal("label", Assert.Single(pool.Files.Single(f => f.Package == "comments").Extensions.UnorderedExtensions).Name);
    }
}
