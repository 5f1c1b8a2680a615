using System.Globalization;
using System.Text;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// The UTF-8 size of a string field's value, refusing text UTF-8 cannot hold. A .NET string may contain a lone
/// UTF-16 surrogate; the default encoder would silently send U+FFFD in its place, and a protobuf string must be
/// valid UTF-8, so the size pass (which always runs before anything is written) refuses it instead.
/// </summary>
internal static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static int ByteCount(string value)
    {
        try
        {
            return Strict.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            char lone = e.CharUnknown != '\0' ? e.CharUnknown : e.CharUnknownHigh;
            throw new ProtobufCodecException(
                $"The text has a lone UTF-16 surrogate (U+{((int)lone).ToString("X4", CultureInfo.InvariantCulture)} at index {e.Index.ToString(CultureInfo.InvariantCulture)}), which UTF-8 cannot encode: a protobuf string must be valid Unicode.");
        }
    }
}
