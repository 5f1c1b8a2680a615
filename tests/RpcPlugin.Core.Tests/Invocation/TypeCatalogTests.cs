using System;
using System.Linq;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.Core.Tests.Descriptors;

namespace RpcPlugin.Core.Tests.Invocation;

/// <summary>What Get-RpcPluginMessageType shows, from descriptors compiled out of .proto text.</summary>
public sealed class TypeCatalogTests : IDisposable
{
    private const string Shop = """
        syntax = "proto3";
        package shop;
        import "google/protobuf/timestamp.proto";

        // An item for sale.
        message Item {
            // The item's id.
            int64 id = 1;
            repeated string tags = 2;
            map<string, int64> stock = 3;
            map<int32, Item> related = 4;
            oneof price {
                sint32 cents = 5;
                string text = 6;
            }
            optional bool sold = 7;
            Kind kind = 8;
            google.protobuf.Timestamp added = 9;
            // A part of an item.
            message Part {
                bytes data = 1;
            }
            repeated Part parts = 10;
        }

        // What an item is.
        enum Kind {
            KIND_UNSPECIFIED = 0;
            // Something to hold.
            BOOK = 1;
        }

        service Store { rpc Get(Item) returns (Item); }
        """;

    private const string Legacy = """
        syntax = "proto2";
        package legacy;
        message Row {
            required int32 id = 1;
            optional string name = 2 [default = "x"];
            repeated fixed64 values = 3;
        }
        """;

    private readonly ScratchFolder scratch = new();
    private readonly DescriptorPool pool;

    public TypeCatalogTests()
    {
        string shop = scratch.Write("shop.proto", Shop);
        string legacy = scratch.Write("legacy.proto", Legacy);
        pool = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { shop, legacy }, Array.Empty<string>()));
    }

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Lists_messages_nested_messages_and_enums_but_not_map_entries_or_well_known_types()
    {
        var names = TypeCatalog.Types(pool).Select(t => t.FullName).ToList();

        Assert.Equal(new[] { "legacy.Row", "shop.Item", "shop.Item.Part", "shop.Kind" }, names);
        Assert.Contains("google.protobuf.Timestamp", TypeCatalog.Types(pool, includeInternal: true).Select(t => t.FullName));
    }

    [Fact]
    public void Writes_field_types_as_a_proto_file_does()
    {
        RpcMessageTypeInfo item = Describe("shop.Item");

        Assert.Equal(RpcMessageTypeKind.Message, item.Kind);
        Assert.Equal("An item for sale.", item.Description);
        Assert.Equal("shop.proto", item.File);
        Assert.Equal(
            new[] { "int64", "string", "map<string, int64>", "map<int32, shop.Item>", "sint32", "string", "bool", "shop.Kind", "google.protobuf.Timestamp", "shop.Item.Part" },
            item.Fields.Select(f => f.Type));
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, item.Fields.Select(f => f.Number));
        Assert.Equal("The item's id.", item.Fields[0].Description);
        Assert.Equal("stock", item.Fields[2].Name);
        Assert.Equal("stock", item.Fields[2].JsonName);
    }

    [Fact]
    public void Tells_repeated_fields_oneof_members_and_optional_fields_apart()
    {
        RpcFieldInfo[] fields = Describe("shop.Item").Fields;

        Assert.True(fields.Single(f => f.Name == "tags").Repeated);
        Assert.False(fields.Single(f => f.Name == "stock").Repeated); // a map says so in its type
        Assert.Equal("price", fields.Single(f => f.Name == "cents").Oneof);
        Assert.Equal("price", fields.Single(f => f.Name == "text").Oneof);
        RpcFieldInfo sold = fields.Single(f => f.Name == "sold");
        Assert.True(sold.Optional);
        Assert.Null(sold.Oneof); // proto3 optional's synthetic oneof is not shown as one
        Assert.False(fields.Single(f => f.Name == "id").Optional);
    }

    [Fact]
    public void Writes_proto2_labels()
    {
        RpcFieldInfo[] fields = Describe("legacy.Row").Fields;

        Assert.Equal("required int32 id = 1;", fields[0].ToString());
        Assert.Equal("optional string name = 2;", fields[1].ToString());
        Assert.Equal("repeated fixed64 values = 3;", fields[2].ToString());
    }

    [Fact]
    public void Describes_enum_values_with_their_numbers_and_comments()
    {
        RpcMessageTypeInfo kind = Describe("shop.Kind");

        Assert.Equal(RpcMessageTypeKind.Enum, kind.Kind);
        Assert.Empty(kind.Fields);
        Assert.Equal(new[] { ("KIND_UNSPECIFIED", 0), ("BOOK", 1) }, kind.Values.Select(v => (v.Name, v.Number)));
        Assert.Equal("Something to hold.", kind.Values[1].Description);
    }

    [Fact]
    public void The_definition_reads_like_the_proto_declaration()
    {
        string definition = Describe("shop.Item").Definition.Replace("\r\n", "\n");

        Assert.StartsWith("// An item for sale.\nmessage Item {\n  // The item's id.\n  int64 id = 1;\n  repeated string tags = 2;\n", definition);
        Assert.Contains("\n  oneof price {\n    sint32 cents = 5;\n    string text = 6;\n  }\n  optional bool sold = 7;\n", definition);
        Assert.EndsWith("  repeated shop.Item.Part parts = 10;\n}", definition);
        Assert.Equal("// What an item is.\nenum Kind {\n  KIND_UNSPECIFIED = 0;\n  // Something to hold.\n  BOOK = 1;\n}", Describe("shop.Kind").Definition.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Finds_a_type_by_its_full_name_or_a_unique_tail_of_it()
    {
        Assert.Equal("shop.Item.Part", TypeCatalog.Find(pool, "Part")?.FullName);
        Assert.Equal("shop.Item.Part", TypeCatalog.Find(pool, "Item.Part")?.FullName);
        Assert.Equal("shop.Item", TypeCatalog.Find(pool, ".shop.Item")?.FullName);
        Assert.Equal("shop.Kind", TypeCatalog.Find(pool, "Kind")?.FullName);
        Assert.Null(TypeCatalog.Find(pool, "Kind", messagesOnly: true));
        Assert.Null(TypeCatalog.Find(pool, "Missing"));
    }

    private RpcMessageTypeInfo Describe(string name) =>
        TypeCatalog.Describe(pool, (IDescriptor?)pool.FindMessage(name) ?? pool.FindEnum(name)!, "s");
}
