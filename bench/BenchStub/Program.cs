using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
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

        string socketPath = args[1];
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using GrpcChannel channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
        var client = new Echo.EchoClient(channel);
        EchoReply reply = client.Unary(new EchoRequest { Message = "x" });
        Console.WriteLine(reply.Message);
        return reply.Message == "x" ? 0 : 1;
    }
}
