using System.Buffers;
using System.Runtime.CompilerServices;
using Google.Protobuf.Reflection;
using Grpc.Core;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Core.Invocation;

/// <summary>
/// gRPC method definitions built from descriptors, with marshallers that run the dynamic codec straight on gRPC's
/// buffers. Built once per method and cached, so repeated calls pay nothing for them.
/// </summary>
public static class DynamicMethods
{
    private static readonly ConditionalWeakTable<MethodDescriptor, Method<DynamicMessage, DynamicMessage>> Decoded = new();
    private static readonly ConditionalWeakTable<MethodDescriptor, Method<DynamicMessage, byte[]>> Raw = new();
    private static readonly Marshaller<byte[]> RawBytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    /// <summary>The method with decoded responses.</summary>
    public static Method<DynamicMessage, DynamicMessage> For(MethodDescriptor method) =>
        Decoded.GetValue(method, m => new Method<DynamicMessage, DynamicMessage>(KindOf(m), m.Service.FullName, m.Name, RequestMarshaller(m), ResponseMarshaller(m.OutputType)));

    /// <summary>The method with responses left as their raw bytes (unknown fields and all).</summary>
    public static Method<DynamicMessage, byte[]> RawFor(MethodDescriptor method) =>
        Raw.GetValue(method, m => new Method<DynamicMessage, byte[]>(KindOf(m), m.Service.FullName, m.Name, RequestMarshaller(m), RawBytes));

    /// <summary>The gRPC call kind of a method.</summary>
    public static MethodType KindOf(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (false, true) => MethodType.ServerStreaming,
        (true, false) => MethodType.ClientStreaming,
        _ => MethodType.DuplexStreaming,
    };

    private static Marshaller<DynamicMessage> RequestMarshaller(MethodDescriptor method) => new(
        (message, context) =>
        {
            // Encode sizes the message itself; telling gRPC the length first would size it twice.
            IBufferWriter<byte> writer = context.GetBufferWriter();
            DynamicCodec.Encode(message, writer);
            context.Complete();
        },
        context => DynamicCodec.Decode(method.InputType, context.PayloadAsReadOnlySequence()));

    private static Marshaller<DynamicMessage> ResponseMarshaller(MessageDescriptor type) => new(
        (message, context) => context.Complete(DynamicCodec.Encode(message)),
        context => DynamicCodec.Decode(type, context.PayloadAsReadOnlySequence()));
}
