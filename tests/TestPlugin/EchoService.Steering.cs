using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RpcPlugin.GoPluginServer;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.TestPlugin;

/// <summary>The calls a test uses to make the plugin fail, log, print, or describe itself.</summary>
internal sealed partial class EchoService
{
    public override Task<Empty> Fail(FailRequest request, ServerCallContext context)
    {
        state.Crash.Tick();
        foreach (var trailer in MetadataEcho.DetailTrailers(request.Details))
        {
            context.ResponseTrailers.Add(trailer);
        }

        if (request.Code != 0 && request.RichDetails.Count > 0)
        {
            throw RichStatus.Exception(request.Code, request.Message, request.RichDetails);
        }

        return request.Code == 0
            ? Task.FromResult(new Empty())
            : throw new RpcException(new Status((StatusCode)request.Code, request.Message));
    }

    public override Task<Timestamp> Now(Empty request, ServerCallContext context)
    {
        state.Crash.Tick();
        return Task.FromResult(Timestamp.FromDateTime(DateTime.UtcNow));
    }

    public override async Task<Empty> Log(LogRequest request, ServerCallContext context)
    {
        state.Crash.Tick();
        HclogLevels.TryParse(request.Level, out var level); // an unknown level logs at info
        var fields = request.Fields.Select(field => (field.Key, (object?)field.Value)).ToArray();
        log.Log(level, request.Message, fields);
        if (request.ReplyAfterMs > 0)
        {
            await Task.Delay(request.ReplyAfterMs, context.CancellationToken);
        }

        return new Empty();
    }

    public override Task<Empty> Print(PrintRequest request, ServerCallContext context)
    {
        state.Crash.Tick();
        var toStderr = request.Channel == Channel.Stderr;
        if (request.ViaStdio)
        {
            stdio.Write(toStderr ? StdioChannel.Stderr : StdioChannel.Stdout, request.Text);
        }
        else
        {
            RawConsole.Write(toStderr ? RawConsole.Stderr : RawConsole.Stdout, request.Text);
        }

        return Task.FromResult(new Empty());
    }

    public override Task<PluginInfo> GetInfo(Empty request, ServerCallContext context)
    {
        state.Crash.Tick();
        var reply = new PluginInfo
        {
            Pid = Environment.ProcessId,
            ProtocolVersion = info.ProtocolVersion,
            Network = info.Network,
            Address = info.Address,
            Tls = info.Tls,
            WorkingDirectory = Directory.GetCurrentDirectory(),
            GrandchildPid = state.GrandchildPid,
        };
        reply.Args.Add(state.Args);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            reply.Environment[(string)variable.Key] = (string?)variable.Value ?? string.Empty;
        }

        return Task.FromResult(reply);
    }
}
