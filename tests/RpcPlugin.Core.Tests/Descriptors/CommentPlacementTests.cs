using System;
using System.Linq;
using RpcPlugin.Core.Descriptors;

namespace RpcPlugin.Core.Tests.Descriptors;

/// <summary>
/// protobuf-net.Reflection drops comments, so RpcPlugin recovers them itself; these compare the result with what
/// protoc records (SourceCodeInfo) for a file of awkward placements.
/// </summary>
public class CommentPlacementTests
{
    [DescriptorSetFact]
    public void Every_description_matches_protocs_comments()
    {
        var fromProtoc = DescriptorPool.Build(DescriptorSetLoader.Load(DescriptorTestFiles.CommentsSet));
        var parsed = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.CommentsProto }, Array.Empty<string>()));

        var expected = DescriptorAssert.AllDescriptors(fromProtoc.Files.Single()).ToList();
        var actual = DescriptorAssert.AllDescriptors(parsed.Files.Single()).ToList();
        Assert.Equal(expected.Select(d => d.FullName), actual.Select(d => d.FullName));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].FullName, fromProtoc.GetComments(expected[i])), (actual[i].FullName, parsed.GetComments(actual[i])));
        }
    }

    [Fact]
    public void Leading_trailing_and_block_comments_are_placed_as_protoc_places_them()
    {
        var pool = DescriptorPool.Build(ProtoFileCompiler.Compile(new[] { DescriptorTestFiles.CommentsProto }, Array.Empty<string>()));
        var corner = pool.FindMessage("comments.Corner")!;

        Assert.Equal("A block comment\non a message; leading asterisks go.", Normalize(pool.GetComments(corner)));
        Assert.Equal("Comment attached to foo.", pool.GetComments(corner.FindFieldByName("foo")));
        Assert.Equal("Comment attached to bar.", pool.GetComments(corner.FindFieldByName("bar")));
        Assert.Equal("Comment attached to baz.\nAnother line attached to baz.", Normalize(pool.GetComments(corner.FindFieldByName("baz"))));
        Assert.Equal("Comment attached to moo.\n\nAnother line attached to moo.", Normalize(pool.GetComments(corner.FindFieldByName("moo"))));
        Assert.Equal("Block comment attached to\ngrault.", Normalize(pool.GetComments(corner.FindFieldByName("grault"))));
        Assert.Equal("Second choice.", pool.GetComments(corner.FindFieldByName("right")));
        Assert.Equal("Trailing on the oneof.", pool.GetComments(corner.Oneofs.Single()));
        Assert.Equal("The first kind.", pool.GetComments(pool.FindEnum("comments.Corner.Kind")!.FindValueByName("KIND_A")));
        Assert.Null(pool.GetComments(pool.FindEnum("comments.Level")!.FindValueByName("HIGH")));
        var corners = pool.FindService("comments.Corners")!;
        Assert.Equal("Unary.\nAnd a trailing one.", Normalize(pool.GetComments(corners.FindMethodByName("Get"))));
        Assert.Equal("With options.", pool.GetComments(corners.FindMethodByName("Watch")));
        Assert.Null(pool.GetComments(corners.FindMethodByName("Tail")));
        Assert.Equal("Nested message.", pool.GetComments(pool.FindMessage("comments.Corner.Inner")!));
        Assert.Null(pool.GetComments(corner.FindFieldByName("result")));
        Assert.Equal("A group: a field and a nested message in one declaration.\nTrailing on the group.", Normalize(pool.GetComments(pool.FindMessage("comments.Corner.Result")!)));
    }

    private static string? Normalize(string? text) => text?.Replace(Environment.NewLine, "\n");
}
