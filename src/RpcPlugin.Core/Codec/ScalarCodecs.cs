namespace RpcPlugin.Core.Codec;

/// <summary>
/// The size, encoding and decoding of one scalar kind. Implemented by structs and used as generic arguments, so the
/// JIT compiles one specialised, inlined loop per kind for repeated fields (no boxing, no per-element dispatch).
/// </summary>
internal interface IWireScalar<T>
{
    /// <summary>The size of every value when the kind is fixed-width, else 0 (the varint kinds).</summary>
    static virtual int FixedSize => 0;

    /// <summary>Whether a little-endian memory image of the values is their wire form (fixed-width numbers).</summary>
    static virtual bool RawCopy => false;

    static abstract int Size(T value);

    static abstract void Write(ref WireWriter writer, T value);

    /// <summary>Reads one value; the caller has checked the wire type.</summary>
    static abstract T Read(ref WireReader reader);
}

internal struct Int32Varint : IWireScalar<int>
{
    public static int Size(int value) => WireFormat.Int32Size(value);

    public static void Write(ref WireWriter writer, int value) => writer.WriteInt32(value);

    public static int Read(ref WireReader reader) => (int)reader.ReadVarint64();
}

internal struct SInt32Varint : IWireScalar<int>
{
    public static int Size(int value) => WireFormat.VarintSize(WireFormat.ZigZag32(value));

    public static void Write(ref WireWriter writer, int value) => writer.WriteVarint32(WireFormat.ZigZag32(value));

    public static int Read(ref WireReader reader) => WireFormat.UnZigZag32(reader.ReadVarint32());
}

internal struct UInt32Varint : IWireScalar<uint>
{
    public static int Size(uint value) => WireFormat.VarintSize(value);

    public static void Write(ref WireWriter writer, uint value) => writer.WriteVarint32(value);

    public static uint Read(ref WireReader reader) => reader.ReadVarint32();
}

internal struct Int64Varint : IWireScalar<long>
{
    public static int Size(long value) => WireFormat.VarintSize((ulong)value);

    public static void Write(ref WireWriter writer, long value) => writer.WriteVarint64((ulong)value);

    public static long Read(ref WireReader reader) => (long)reader.ReadVarint64();
}

internal struct SInt64Varint : IWireScalar<long>
{
    public static int Size(long value) => WireFormat.VarintSize(WireFormat.ZigZag64(value));

    public static void Write(ref WireWriter writer, long value) => writer.WriteVarint64(WireFormat.ZigZag64(value));

    public static long Read(ref WireReader reader) => WireFormat.UnZigZag64(reader.ReadVarint64());
}

internal struct UInt64Varint : IWireScalar<ulong>
{
    public static int Size(ulong value) => WireFormat.VarintSize(value);

    public static void Write(ref WireWriter writer, ulong value) => writer.WriteVarint64(value);

    public static ulong Read(ref WireReader reader) => reader.ReadVarint64();
}

internal struct BoolVarint : IWireScalar<bool>
{
    public static int FixedSize => 1;

    public static int Size(bool value) => 1;

    public static void Write(ref WireWriter writer, bool value) => writer.WriteVarint32(value ? 1U : 0U);

    public static bool Read(ref WireReader reader) => reader.ReadVarint64() != 0;
}

internal struct Fixed32Int : IWireScalar<int>
{
    public static int FixedSize => 4;

    public static bool RawCopy => true;

    public static int Size(int value) => 4;

    public static void Write(ref WireWriter writer, int value) => writer.WriteFixed32((uint)value);

    public static int Read(ref WireReader reader) => (int)reader.ReadFixed32();
}

internal struct Fixed32UInt : IWireScalar<uint>
{
    public static int FixedSize => 4;

    public static bool RawCopy => true;

    public static int Size(uint value) => 4;

    public static void Write(ref WireWriter writer, uint value) => writer.WriteFixed32(value);

    public static uint Read(ref WireReader reader) => reader.ReadFixed32();
}

internal struct Fixed32Float : IWireScalar<float>
{
    public static int FixedSize => 4;

    public static bool RawCopy => true;

    public static int Size(float value) => 4;

    public static void Write(ref WireWriter writer, float value) => writer.WriteFixed32((uint)BitConverter.SingleToInt32Bits(value));

    public static float Read(ref WireReader reader) => BitConverter.Int32BitsToSingle((int)reader.ReadFixed32());
}

internal struct Fixed64Long : IWireScalar<long>
{
    public static int FixedSize => 8;

    public static bool RawCopy => true;

    public static int Size(long value) => 8;

    public static void Write(ref WireWriter writer, long value) => writer.WriteFixed64((ulong)value);

    public static long Read(ref WireReader reader) => (long)reader.ReadFixed64();
}

internal struct Fixed64ULong : IWireScalar<ulong>
{
    public static int FixedSize => 8;

    public static bool RawCopy => true;

    public static int Size(ulong value) => 8;

    public static void Write(ref WireWriter writer, ulong value) => writer.WriteFixed64(value);

    public static ulong Read(ref WireReader reader) => reader.ReadFixed64();
}

internal struct Fixed64Double : IWireScalar<double>
{
    public static int FixedSize => 8;

    public static bool RawCopy => true;

    public static int Size(double value) => 8;

    public static void Write(ref WireWriter writer, double value) => writer.WriteFixed64((ulong)BitConverter.DoubleToInt64Bits(value));

    public static double Read(ref WireReader reader) => BitConverter.Int64BitsToDouble((long)reader.ReadFixed64());
}
