using System;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// The size and encoding of one scalar kind. Implemented by structs and used as generic arguments, so the JIT
/// compiles one specialised, inlined loop per kind for repeated fields (no boxing, no per-element dispatch).
/// </summary>
internal interface IWireScalar<T>
{
    /// <summary>The size of every value when the kind is fixed-width, else 0.</summary>
    static abstract int FixedSize { get; }

    /// <summary>Whether a little-endian memory image of the values is their wire form (fixed-width numbers).</summary>
    static abstract bool RawCopy { get; }

    static abstract int Size(T value);

    static abstract void Write(ref WireWriter writer, T value);
}

internal struct Int32Varint : IWireScalar<int>
{
    public static int FixedSize => 0;

    public static bool RawCopy => false;

    public static int Size(int value) => WireFormat.Int32Size(value);

    public static void Write(ref WireWriter writer, int value) => writer.WriteInt32(value);
}

internal struct SInt32Varint : IWireScalar<int>
{
    public static int FixedSize => 0;

    public static bool RawCopy => false;

    public static int Size(int value) => WireFormat.VarintSize(WireFormat.ZigZag32(value));

    public static void Write(ref WireWriter writer, int value) => writer.WriteVarint32(WireFormat.ZigZag32(value));
}

internal struct UInt32Varint : IWireScalar<uint>
{
    public static int FixedSize => 0;

    public static bool RawCopy => false;

    public static int Size(uint value) => WireFormat.VarintSize(value);

    public static void Write(ref WireWriter writer, uint value) => writer.WriteVarint32(value);
}

internal struct Int64Varint : IWireScalar<long>
{
    public static int FixedSize => 0;

    public static bool RawCopy => false;

    public static int Size(long value) => WireFormat.VarintSize((ulong)value);

    public static void Write(ref WireWriter writer, long value) => writer.WriteVarint64((ulong)value);
}

internal struct SInt64Varint : IWireScalar<long>
{
    public static int FixedSize => 0;

    public static bool RawCopy => false;

    public static int Size(long value) => WireFormat.VarintSize(WireFormat.ZigZag64(value));

    public static void Write(ref WireWriter writer, long value) => writer.WriteVarint64(WireFormat.ZigZag64(value));
}

internal struct UInt64Varint : IWireScalar<ulong>
{
    public static int FixedSize => 0;

    public static bool RawCopy => false;

    public static int Size(ulong value) => WireFormat.VarintSize(value);

    public static void Write(ref WireWriter writer, ulong value) => writer.WriteVarint64(value);
}

internal struct BoolVarint : IWireScalar<bool>
{
    public static int FixedSize => 1;

    public static bool RawCopy => false;

    public static int Size(bool value) => 1;

    public static void Write(ref WireWriter writer, bool value) => writer.WriteVarint32(value ? 1U : 0U);
}

internal struct Fixed32Int : IWireScalar<int>
{
    public static int FixedSize => 4;

    public static bool RawCopy => true;

    public static int Size(int value) => 4;

    public static void Write(ref WireWriter writer, int value) => writer.WriteFixed32((uint)value);
}

internal struct Fixed32UInt : IWireScalar<uint>
{
    public static int FixedSize => 4;

    public static bool RawCopy => true;

    public static int Size(uint value) => 4;

    public static void Write(ref WireWriter writer, uint value) => writer.WriteFixed32(value);
}

internal struct Fixed32Float : IWireScalar<float>
{
    public static int FixedSize => 4;

    public static bool RawCopy => true;

    public static int Size(float value) => 4;

    public static void Write(ref WireWriter writer, float value) => writer.WriteFixed32((uint)BitConverter.SingleToInt32Bits(value));
}

internal struct Fixed64Long : IWireScalar<long>
{
    public static int FixedSize => 8;

    public static bool RawCopy => true;

    public static int Size(long value) => 8;

    public static void Write(ref WireWriter writer, long value) => writer.WriteFixed64((ulong)value);
}

internal struct Fixed64ULong : IWireScalar<ulong>
{
    public static int FixedSize => 8;

    public static bool RawCopy => true;

    public static int Size(ulong value) => 8;

    public static void Write(ref WireWriter writer, ulong value) => writer.WriteFixed64(value);
}

internal struct Fixed64Double : IWireScalar<double>
{
    public static int FixedSize => 8;

    public static bool RawCopy => true;

    public static int Size(double value) => 8;

    public static void Write(ref WireWriter writer, double value) => writer.WriteFixed64((ulong)BitConverter.DoubleToInt64Bits(value));
}
