using System;
using Grpc.Net.Client;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPluginBench;

/// <summary>
/// `BenchStub call &lt;unix-socket-path&gt;`: what a shell user does with grpcurl, one process per call. Starts, dials
/// the already-running plugin over its unix socket (plaintext: the plugin runs with -NoAutoMtls), makes one
/// testplugin.Echo/Unary call, prints the reply's message and exits.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 2 || args[0] != "call")
        {
            Console.Error.WriteLine("usage: BenchStub call <unix-socket-path>");
            return 2;
        }

        using GrpcChannel channel = UnixChannel.Create(args[1]);
        var client = new Echo.EchoClient(channel);
        EchoReply reply = client.Unary(new EchoRequest { Message = "x" });
        Console.WriteLine(reply.Message);
        return reply.Message == "x" ? 0 : 1;
    }
}
