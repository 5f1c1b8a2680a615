namespace RpcPlugin.Core.Codec;

/// <summary>
/// Shared boxes for the values decoding meets most (false/true, small ints, zeros), so that decoding a message of
/// flags and small numbers does not allocate one box per field. Boxes are immutable, so sharing them is safe.
/// </summary>
internal static class Boxes
{
    private const int MinSmall = -16;
    private const int MaxSmall = 255;

    public static readonly object True = true;
    public static readonly object False = false;
    public static readonly object ZeroInt64 = 0L;
    public static readonly object ZeroUInt32 = 0U;
    public static readonly object ZeroUInt64 = 0UL;
    public static readonly object ZeroFloat = 0F;
    public static readonly object ZeroDouble = 0D;

    private static readonly object[] SmallInts = CreateSmallInts();

    public static object Bool(bool value) => value ? True : False;

    public static object Int32(int value) =>
        (uint)(value - MinSmall) <= MaxSmall - MinSmall ? SmallInts[value - MinSmall] : value;

    public static object Int64(long value) => value == 0 ? ZeroInt64 : value;

    public static object UInt32(uint value) => value == 0 ? ZeroUInt32 : value;

    public static object UInt64(ulong value) => value == 0 ? ZeroUInt64 : value;

    // Only +0.0 is shared: -0.0 must keep its sign bit.
    public static object Float(float value) => System.BitConverter.SingleToInt32Bits(value) == 0 ? ZeroFloat : value;

    public static object Double(double value) => System.BitConverter.DoubleToInt64Bits(value) == 0 ? ZeroDouble : value;

    private static object[] CreateSmallInts()
    {
        var boxes = new object[MaxSmall - MinSmall + 1];
        for (int i = 0; i < boxes.Length; i++)
        {
            boxes[i] = i + MinSmall;
        }

        return boxes;
    }
}
