using System;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RpcPlugin.Core.Codec;

namespace RpcPluginBench.Codec;

/// <summary>
/// Encode and decode of the same message, generated code against DynamicCodec. The DynamicMessage is made by
/// decoding the generated message's bytes with DynamicCodec, against the generated code's own descriptor, so both
/// sides handle exactly the same fields and values.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private IMessage generated = null!;
    private MessageParser parser = null!;
    private MessageDescriptor descriptor = null!;
    private DynamicMessage dynamic = null!;
    private byte[] bytes = Array.Empty<byte>();

    [Params("small", "medium", "large")]
    public string Message { get; set; } = "small";

    [GlobalSetup]
    public void Setup()
    {
        generated = Messages.Create(Message);
        descriptor = generated.Descriptor;
        parser = descriptor.Parser;
        bytes = generated.ToByteArray();
        dynamic = DynamicCodec.Decode(descriptor, bytes);
        Check();
    }

    [Benchmark]
    [BenchmarkCategory("encode")]
    public byte[] GeneratedEncode() => generated.ToByteArray();

    [Benchmark]
    [BenchmarkCategory("encode")]
    public byte[] DynamicEncode() => DynamicCodec.Encode(dynamic);

    [Benchmark]
    [BenchmarkCategory("decode")]
    public IMessage GeneratedDecode() => parser.ParseFrom(bytes);

    [Benchmark]
    [BenchmarkCategory("decode")]
    public DynamicMessage DynamicDecode() => DynamicCodec.Decode(descriptor, bytes);

    /// <summary>Both codecs must agree before anything is timed: the dynamic encoding parses back to the same message.</summary>
    private void Check()
    {
        byte[] dynamicBytes = DynamicCodec.Encode(dynamic);
        if (dynamicBytes.Length != bytes.Length)
        {
            throw new InvalidOperationException($"{Message}: DynamicCodec wrote {dynamicBytes.Length} bytes, generated code {bytes.Length}.");
        }

        IMessage back = parser.ParseFrom(dynamicBytes);
        if (!back.Equals(generated))
        {
            throw new InvalidOperationException($"{Message}: DynamicCodec's encoding does not parse back to the same message.");
        }
    }
}
