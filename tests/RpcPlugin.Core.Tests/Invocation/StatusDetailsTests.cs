using System;
using System.Collections.Specialized;
using System.Linq;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Invocation;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests.Invocation;

/// <summary>Decoding the rich error model (grpc-status-details-bin) into the call's exception.</summary>
public sealed class StatusDetailsTests
{
    [Fact]
    public void Standard_details_become_records_of_their_type_and_the_message_names_the_first()
    {
        var status = new Google.Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = "bad request" };
        status.Details.Add(Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "name", Description = "required" } } }));
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = "NO_NAME", Domain = "example.com" }));

        RpcCallException error = CallFailure.Status("pkg.Svc/M", status.ToRpcException());

        Assert.Equal(RpcStatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("RpcPlugin.Rpc.InvalidArgument", error.ErrorId);
        Assert.Equal(2, error.Details.Count);
        var badRequest = Assert.IsType<OrderedDictionary>(error.Details[0]);
        var violation = Assert.IsType<OrderedDictionary>(Assert.Single((object[])badRequest["field_violations"]!));
        Assert.Equal("name", violation["field"]);
        Assert.Equal("NO_NAME", ((OrderedDictionary)error.Details[1])["reason"]);
        Assert.StartsWith("The call to pkg.Svc/M failed with status InvalidArgument: bad request. Details: google.rpc.BadRequest {", error.Message);
        Assert.Contains("google.rpc.ErrorInfo {\"reason\":\"NO_NAME\"", error.Message);
        Assert.True(error.Trailers.Contains(StatusDetails.Trailer));
    }

    [Fact]
    public void A_retry_delay_becomes_the_recommended_action()
    {
        var status = new Google.Rpc.Status { Code = (int)StatusCode.Unavailable, Message = "busy" };
        status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(2500)) }));

        RpcCallException error = CallFailure.Status("pkg.Svc/M", status.ToRpcException());

        Assert.Equal("The plugin asks to retry after 2.5 s.", error.RecommendedAction);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), ((OrderedDictionary)error.Details[0])["retry_delay"]);
    }

    [Fact]
    public void A_detail_of_a_type_only_the_session_knows_is_decoded_with_its_descriptors()
    {
        var status = new Google.Rpc.Status { Code = (int)StatusCode.NotFound, Message = "missing" };
        status.Details.Add(Any.Pack(new Nested { Name = "n", Value = 3 }));
        var pool = DescriptorPool.Build(Array.Empty<DescriptorFile>(), new[] { FileDescriptorProtoOf(TestpluginReflection.Descriptor) });

        RpcCallException withPool = CallFailure.Status("pkg.Svc/M", status.ToRpcException(), pool);
        RpcCallException without = CallFailure.Status("pkg.Svc/M", status.ToRpcException());

        Assert.Equal(3, ((OrderedDictionary)withPool.Details[0])["value"]);
        var unknown = (OrderedDictionary)without.Details[0];
        Assert.Equal("type.googleapis.com/testplugin.Nested", unknown["@type"]);
        Assert.Equal(new Nested { Name = "n", Value = 3 }.ToByteArray(), unknown["value"]);
        Assert.Contains("testplugin.Nested (", without.Message);
    }

    [Fact]
    public void No_trailer_means_no_details_and_the_plain_message()
    {
        RpcCallException error = CallFailure.Status("pkg.Svc/M", new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "gone")));

        Assert.Empty(error.Details);
        Assert.Equal("The call to pkg.Svc/M failed with status NotFound: gone", error.Message);
    }

    [Fact]
    public void A_trailer_that_is_not_a_status_is_said_so_and_the_call_still_fails_with_its_code()
    {
        var trailers = new Metadata { { StatusDetails.Trailer, new byte[] { 0xFF, 0xFF, 0xFF } } };

        RpcCallException error = CallFailure.Status("pkg.Svc/M", new RpcException(new Grpc.Core.Status(StatusCode.Internal, "oops"), trailers));

        Assert.Equal(RpcStatusCode.Internal, error.StatusCode);
        Assert.Empty(error.Details);
        Assert.Contains("grpc-status-details-bin trailer is not a google.rpc.Status", error.Message);
    }

    private static Google.Protobuf.Reflection.FileDescriptorProto FileDescriptorProtoOf(Google.Protobuf.Reflection.FileDescriptor file) =>
        Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(file.SerializedData);
}
