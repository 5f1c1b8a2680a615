using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Errors;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>Merging sources into one pool: user sources win, conflicts are named, lookups and Any type URLs.</summary>
public class DescriptorPoolTests
{
    private const string Header = "syntax = \"proto3\";\npackage shop;\n";

    [Fact]
    public void Two_user_files_defining_a_message_differently_are_an_error_naming_both()
    {
        using var scratch = new ScratchFolder();
        string a = scratch.Write("a.proto", Header + "message Item { int32 id = 1; }\n");
        string b = scratch.Write("b.proto", Header + "message Item { string id = 1; }\n");

        var error = Assert.Throws<PluginException>(() => DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { a, b }, Array.Empty<string>())));

        Assert.Equal(PluginErrorCode.DescriptorInvalid, error.Code);
        Assert.Contains("shop.Item", error.Message);
        Assert.Contains(a, error.Message);
        Assert.Contains(b, error.Message);
    }

    [Fact]
    public void The_same_definition_in_two_user_files_is_fine()
    {
        using var scratch = new ScratchFolder();
        string a = scratch.Write("a.proto", Header + "message Item { int32 id = 1; }\nmessage Cart { repeated Item items = 1; }\n");
        string b = scratch.Write("b.proto", Header + "// Same Item, other file.\nmessage Item { int32 id = 1; }\nservice Shop { rpc Get(Item) returns (Item); }\n");

        var pool = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { a, b }, Array.Empty<string>()));

        var item = pool.FindMessage("shop.Item")!;
        Assert.Equal(a, pool.GetOrigin(item).Source);
        Assert.Same(item, pool.FindMessage("shop.Cart")!.FindFieldByName("items").MessageType);
        Assert.Same(item, pool.FindService("shop.Shop")!.FindMethodByName("Get").InputType);
    }

    [Fact]
    public void Two_different_files_of_the_same_name_both_serve_and_show_the_name_they_were_given()
    {
        using var scratch = new ScratchFolder();
        string a = scratch.Write("a/shop.proto", "syntax = \"proto3\";\npackage north;\nmessage Item { int32 id = 1; }\nservice Shop { rpc Get(Item) returns (Item); }\n");
        string b = scratch.Write("b/shop.proto", "syntax = \"proto3\";\npackage south;\nmessage Item { string id = 1; }\nservice Shop { rpc Get(Item) returns (Item); }\n");

        var pool = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { a }, Array.Empty<string>())
            .Concat(ProtoFileCompiler.Compile(new[] { b }, Array.Empty<string>())));

        var services = RpcPlugin.Core.Invocation.ServiceCatalog.Describe(pool, "p", includeInternal: false);
        Assert.Equal(new[] { "north.Shop", "south.Shop" }, services.Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(services, s => Assert.Equal("shop.proto", s.File));
        Assert.Equal(b, pool.GetOrigin(pool.FindService("south.Shop")!).Source);
    }

    [DescriptorSetFact]
    public void A_proto_and_protocs_set_of_it_are_one_file_keeping_the_comments()
    {
        var parsed = ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.TestPluginProto }, new[] { DescriptorTestFiles.Protos });
        var set = DescriptorSetLoader.Load(DescriptorTestFiles.TestPluginSet);

        var pool = DescriptorPool.Build(set.Concat(parsed));

        Assert.Equal("test/testplugin.proto", Assert.Single(pool.Files).Name);
        Assert.Equal(DescriptorTestFiles.TestPluginSet, pool.GetOrigin(pool.FindService("testplugin.Echo")!).Source);
    }

    [Fact]
    public void Generated_code_and_a_parsed_proto_of_the_same_file_agree_although_json_names_differ()
    {
        var parsed = ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.TestPluginProto }, new[] { DescriptorTestFiles.Protos });
        var generated = new DescriptorFile(TestpluginReflection.Descriptor.ToProto(), "generated code", DescriptorSourceKind.DescriptorSet);

        var pool = DescriptorPool.Build(parsed.Append(generated));

        var echo = pool.FindService("testplugin.Echo")!;
        Assert.Equal(DescriptorTestFiles.TestPluginProto, pool.GetOrigin(echo).Source);
        Assert.NotNull(pool.GetComments(echo));
    }

    [Fact]
    public void Pools_built_at_once_on_many_threads_all_link_against_the_shared_well_known_files()
    {
        // Sessions load descriptors concurrently (an attached session beside its owner, parallel runspaces);
        // every build links against the same process-wide well-known files.
        var parsed = ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.TestPluginProto }, new[] { DescriptorTestFiles.Protos });
        var comments = ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.CommentsProto }, Array.Empty<string>());
        var files = parsed.Concat(comments).ToArray();

        var pools = new DescriptorPool?[8];
        var failures = new Exception?[pools.Length];
        using var start = new Barrier(pools.Length);
        var threads = Enumerable.Range(0, pools.Length).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                pools[i] = DescriptorPool.Build(files);
            }
            catch (Exception e)
            {
                failures[i] = e;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(failures, Assert.Null);

        Assert.All(pools, pool => Assert.Same(Timestamp.Descriptor, pool!.FindService("testplugin.Echo")!.FindMethodByName("Now").OutputType));
    }

    [Fact]
    public void Reflection_never_overrides_a_user_definition()
    {
        using var scratch = new ScratchFolder();
        string mine = scratch.Write("mine.proto", "syntax = \"proto3\";\npackage testplugin;\nmessage Nested { string only = 1; }\n");
        var reflected = new[] { TestpluginReflection.Descriptor }
            .Concat(TestpluginReflection.Descriptor.Dependencies)
            .Select(f => f.ToProto());

        var pool = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { mine }, Array.Empty<string>()), reflected);

        var nested = pool.FindMessage("testplugin.Nested")!;
        Assert.Equal("only", Assert.Single(nested.Fields.InDeclarationOrder()).Name);
        Assert.Same(nested, pool.FindMessage("testplugin.AllTypes")!.FindFieldByName("f_nested").MessageType);
        Assert.NotNull(pool.FindService("testplugin.Echo"));
        Assert.Empty(pool.Warnings);
    }

    [Fact]
    public void A_reflected_file_whose_import_is_missing_is_left_out_with_a_warning()
    {
        var broken = new FileDescriptorProto { Name = "broken.proto", Package = "broken", Syntax = "proto3", Dependency = { "absent.proto" } };

        var pool = DescriptorPool.Build(Array.Empty<DescriptorFile>(), new[] { broken, TestpluginReflection.Descriptor.ToProto() });

        Assert.Contains("absent.proto", Assert.Single(pool.Warnings));
        Assert.NotNull(pool.FindService("testplugin.Echo"));
    }

    [Theory]
    [InlineData("type.googleapis.com/testplugin.Nested", "testplugin.Nested")]
    [InlineData("example.com/some/prefix/testplugin.Nested", "testplugin.Nested")]
    [InlineData("testplugin.Nested", "testplugin.Nested")]
    [InlineData("type.googleapis.com/google.protobuf.Duration", "google.protobuf.Duration")]
    [InlineData("type.googleapis.com/testplugin.Missing", null)]
    public void The_type_resolver_reads_Any_type_urls(string typeUrl, string? expected)
    {
        var pool = DescriptorPool.Build(new[] { new DescriptorFile(TestpluginReflection.Descriptor.ToProto(), "generated code", DescriptorSourceKind.DescriptorSet) });

        Assert.Equal(expected, pool.TypeResolver(typeUrl)?.FullName);
    }

    [Fact]
    public void The_empty_pool_knows_the_well_known_types_as_Google_Protobuf_has_them()
    {
        var pool = DescriptorPool.Empty;

        Assert.Same(Timestamp.Descriptor, pool.FindMessage("google.protobuf.Timestamp"));
        Assert.Same(Value.Descriptor, pool.FindMessage(".google.protobuf.Value"));
        Assert.Same(StructReflection.Descriptor.EnumTypes.Single(), pool.FindEnum("google.protobuf.NullValue"));
        Assert.Empty(pool.Services);
        Assert.Equal(DescriptorSourceKind.BuiltIn, pool.GetOrigin(Timestamp.Descriptor).Kind);
    }

    [Fact]
    public void A_built_pool_serves_concurrent_lookups()
    {
        var pool = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.TestPluginProto }, new[] { DescriptorTestFiles.Protos }));

        Parallel.For(0, 64, i =>
        {
            var echo = pool.FindService("testplugin.Echo")!;
            Assert.NotNull(pool.GetComments(echo.Methods[i % echo.Methods.Count]));
            Assert.NotNull(pool.TypeResolver("type.googleapis.com/testplugin.AllTypes"));
        });
    }

    [Fact]
    public void A_descriptor_that_does_not_link_is_an_error_naming_its_source()
    {
        var file = new FileDescriptorProto
        {
            Name = "bad.proto",
            Package = "bad",
            Syntax = "proto3",
            MessageType = { new DescriptorProto { Name = "M", Field = { new FieldDescriptorProto { Name = "x", Number = 1, Type = FieldDescriptorProto.Types.Type.Message, TypeName = ".bad.Nowhere", Label = FieldDescriptorProto.Types.Label.Optional } } } },
        };

        var error = Assert.Throws<PluginException>(() => DescriptorPool.Build(new[] { new DescriptorFile(file, "/tmp/set.pb", DescriptorSourceKind.DescriptorSet) }));

        Assert.Equal(PluginErrorCode.DescriptorInvalid, error.Code);
        Assert.Contains("/tmp/set.pb", error.Message);
        Assert.Contains("Nowhere", error.Message);
    }
}
