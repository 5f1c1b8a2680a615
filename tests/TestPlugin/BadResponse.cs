using System.Threading.Tasks;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.TestPlugin;

/// <summary>
/// bad-response: <c>testplugin.Echo/Unary</c> answers with bytes that are not an <c>EchoReply</c>. The method is
/// served through a byte-array marshaller (<see cref="BadResponseMethodProvider"/>) by an endpoint that takes
/// precedence over <see cref="EchoService"/>'s own; reflection still describes Echo from its generated descriptor,
/// and every other method is served as usual.
/// </summary>
internal sealed class BadResponseEcho(TestPluginState state)
{
    /// <summary>
    /// Field 1 (<c>message</c>, length-delimited) claiming 127 bytes when only the 12 of <c>bad-response</c>
    /// follow: a decoder runs out of input in the middle of the field.
    /// </summary>
    public static readonly byte[] Reply = [0x0A, 0x7F, .. "bad-response"u8];

    public async Task<byte[]> Unary(EchoRequest request, ServerCallContext context)
    {
        state.Crash.Tick();
        await CallDelay.WaitAsync(request.DelayMs, context);
        return Reply;
    }
}

/// <summary>Declares <c>testplugin.Echo/Unary</c> with an EchoRequest parser and raw bytes for the reply.</summary>
internal sealed class BadResponseMethodProvider : IServiceMethodProvider<BadResponseEcho>
{
    private static readonly Method<EchoRequest, byte[]> UnaryMethod = new(
        MethodType.Unary,
        Echo.Descriptor.FullName,
        "Unary",
        Marshallers.Create(request => request.ToByteArray(), EchoRequest.Parser.ParseFrom),
        Marshallers.Create(bytes => bytes, bytes => bytes));

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<BadResponseEcho> context) =>
        context.AddUnaryMethod(UnaryMethod, [], (service, request, call) => service.Unary(request, call));
}
