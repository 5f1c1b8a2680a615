using System.Numerics;
using System.Runtime.CompilerServices;
using Google.Protobuf.Reflection;

namespace RpcPlugin.Core.Codec;

/// <summary>The six wire types of the protobuf encoding (6 and 7 are invalid).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>Tags, zigzag and varint sizes: the arithmetic of https://protobuf.dev/programming-guides/encoding/.</summary>
internal static class WireFormat
{
    /// <summary>The largest field number protobuf allows (2^29 - 1).</summary>
    public const int MaxFieldNumber = 536_870_911;

    public static uint MakeTag(int fieldNumber, WireType wireType) => ((uint)fieldNumber << 3) | (uint)wireType;

    public static int FieldNumberOf(uint tag) => (int)(tag >> 3);

    public static WireType WireTypeOf(uint tag) => (WireType)(tag & 7);

    /// <summary>The wire type a single value of the field type uses.</summary>
    public static WireType WireTypeOf(FieldType type) => type switch
    {
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireType.Fixed64,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireType.Fixed32,
        FieldType.String or FieldType.Bytes or FieldType.Message => WireType.LengthDelimited,
        FieldType.Group => WireType.StartGroup,
        _ => WireType.Varint,
    };

    /// <summary>The encoded size of a varint: one byte per started group of seven bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int VarintSize(ulong value) => ((BitOperations.Log2(value | 1) * 9) + 73) >> 6;

    /// <summary>The encoded size of a varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int VarintSize(uint value) => ((BitOperations.Log2(value | 1) * 9) + 73) >> 6;

    /// <summary>int32 and enum values are sign-extended to 64 bits, so negatives take ten bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Int32Size(int value) => value >= 0 ? VarintSize((uint)value) : 10;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ZigZag32(int value) => (uint)((value << 1) ^ (value >> 31));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZigZag64(long value) => (ulong)((value << 1) ^ (value >> 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int UnZigZag32(uint value) => (int)(value >> 1) ^ -(int)(value & 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long UnZigZag64(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
