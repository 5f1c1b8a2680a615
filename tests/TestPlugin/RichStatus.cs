using System;
using System.Collections.Generic;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// The rich error model as a real gRPC server sends it: a <c>google.rpc.Status</c>, built with Google's own
/// error detail types, serialized into the <c>grpc-status-details-bin</c> trailer by Grpc.StatusProto. Each detail
/// has fixed content that tests/TestPlugin/README.md lists.
/// </summary>
internal static class RichStatus
{
    public static RpcException Exception(int code, string message, IEnumerable<string> details)
    {
        var status = new Google.Rpc.Status { Code = code, Message = message };
        foreach (string name in details)
        {
            status.Details.Add(Detail(name));
        }

        return status.ToRpcException();
    }

    private static Any Detail(string name) => name switch
    {
        "ErrorInfo" => Any.Pack(new ErrorInfo { Reason = "TEST_FAILURE", Domain = "testplugin.example", Metadata = { ["method"] = "Fail" } }),
        "BadRequest" => Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "message", Description = "must not be empty" } } }),
        "RetryInfo" => Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(1.5)) }),
        "DebugInfo" => Any.Pack(new DebugInfo { StackEntries = { "EchoService.Fail", "RichStatus.Exception" }, Detail = "failed on request" }),
        "QuotaFailure" => Any.Pack(new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = "project:test", Description = "daily limit of 10 calls reached" } } }),
        "PreconditionFailure" => Any.Pack(new PreconditionFailure { Violations = { new PreconditionFailure.Types.Violation { Type = "TOS", Subject = "user:test", Description = "terms not accepted" } } }),
        "ResourceInfo" => Any.Pack(new ResourceInfo { ResourceType = "testplugin.Item", ResourceName = "item-1", Owner = "tester", Description = "no such item" }),
        "RequestInfo" => Any.Pack(new RequestInfo { RequestId = "req-1", ServingData = "testplugin" }),
        "Help" => Any.Pack(new Help { Links = { new Help.Types.Link { Description = "what went wrong", Url = "https://example.invalid/help" } } }),
        "LocalizedMessage" => Any.Pack(new LocalizedMessage { Locale = "en-US", Message = "The test failed on purpose." }),
        "Nested" => Any.Pack(new Nested { Name = "custom detail", Value = 7 }),
        "Unknown" => new Any { TypeUrl = "type.googleapis.com/testplugin.NotDescribed", Value = ByteString.CopyFrom(0x08, 0x01) },
        _ => throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, $"unknown rich detail '{name}'")),
    };
}
