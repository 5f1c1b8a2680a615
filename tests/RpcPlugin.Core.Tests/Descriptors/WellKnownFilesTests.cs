using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Descriptors;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>The well-known files, built one by one on first use: every type still found, as the very descriptor Google.Protobuf has.</summary>
public class WellKnownFilesTests
{
    private static readonly FileDescriptor[] GoogleFiles =
    {
        AnyReflection.Descriptor,
        ApiReflection.Descriptor,
        DescriptorReflection.Descriptor,
        DurationReflection.Descriptor,
        EmptyReflection.Descriptor,
        FieldMaskReflection.Descriptor,
        SourceContextReflection.Descriptor,
        StructReflection.Descriptor,
        TimestampReflection.Descriptor,
        TypeReflection.Descriptor,
        WrappersReflection.Descriptor,
    };

    [Fact]
    public void The_table_of_top_level_types_names_exactly_the_types_of_each_file()
    {
        var expected = GoogleFiles
            .SelectMany(f => f.MessageTypes.Select(m => (m.Name, f.Name)).Concat(f.EnumTypes.Select(e => (e.Name, f.Name))))
            .OrderBy(t => t.Item1, StringComparer.Ordinal)
            .ToList();

        var table = WellKnownFiles.FileOfTopLevelType.Select(kv => (kv.Key, kv.Value)).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();

        Assert.Equal(expected, table);
    }

    [Fact]
    public void Every_file_is_listed_in_order_and_found_by_its_import_name()
    {
        Assert.Equal(GoogleFiles, WellKnownFiles.All);
        foreach (FileDescriptor file in GoogleFiles)
        {
            Assert.True(WellKnownFiles.Contains(file.Name));
            Assert.Same(file, WellKnownFiles.Find(file.Name));
        }

        Assert.False(WellKnownFiles.Contains("google/protobuf/compiler/plugin.proto"));
        Assert.Null(WellKnownFiles.Find("testplugin.proto"));
    }

    [Fact]
    public void A_pool_finds_every_message_and_enum_nested_ones_included_as_Google_Protobuf_has_them()
    {
        var pool = DescriptorPool.Build(Array.Empty<DescriptorFile>());
        foreach (FileDescriptor file in GoogleFiles)
        {
            foreach (MessageDescriptor message in Messages(file.MessageTypes))
            {
                Assert.Same(message, pool.FindMessage(message.FullName));
                Assert.Same(message, pool.FindMessage("." + message.FullName));
                Assert.Same(message, pool.ResolveTypeUrl("type.googleapis.com/" + message.FullName));
                Assert.Equal(DescriptorSourceKind.BuiltIn, pool.GetOrigin(message).Kind);
                Assert.Equal("Google.Protobuf", pool.GetOrigin(message).Source);
                foreach (EnumDescriptor nested in message.EnumTypes)
                {
                    Assert.Same(nested, pool.FindEnum(nested.FullName));
                }
            }

            foreach (EnumDescriptor @enum in file.EnumTypes)
            {
                Assert.Same(@enum, pool.FindEnum(@enum.FullName));
                Assert.Null(pool.FindMessage(@enum.FullName));
            }
        }

        Assert.Same(FieldDescriptorProto.Descriptor.EnumTypes.Single(e => e.Name == "Type"), pool.FindEnum("google.protobuf.FieldDescriptorProto.Type"));
        Assert.Null(pool.FindMessage("google.protobuf.Nowhere"));
        Assert.Null(pool.FindEnum("google.protobuf.Timestamp"));
        Assert.Null(pool.FindMessage("google.protobuf"));
    }

    [Fact]
    public void User_types_in_package_google_protobuf_are_found_but_never_replace_a_built_in_one()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.Write(
            "extra.proto",
            "syntax = \"proto3\";\npackage google.protobuf;\nmessage Timestamp { string text = 1; }\nmessage Extra { int32 n = 1; }\nenum Mood { CALM = 0; }\n");

        var pool = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { file }, Array.Empty<string>()));

        Assert.Same(Timestamp.Descriptor, pool.FindMessage("google.protobuf.Timestamp"));
        Assert.Equal("extra.proto", pool.FindMessage("google.protobuf.Extra")!.File.Name);
        Assert.Equal("extra.proto", pool.FindEnum("google.protobuf.Mood")!.File.Name);
        Assert.Equal(DescriptorSourceKind.ProtoFile, pool.GetOrigin(pool.FindMessage("google.protobuf.Extra")!).Kind);
    }

    private static IEnumerable<MessageDescriptor> Messages(IEnumerable<MessageDescriptor> messages) =>
        messages.SelectMany(m => new[] { m }.Concat(Messages(m.NestedTypes)));
}
