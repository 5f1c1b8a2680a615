using System.Globalization;
using System.Numerics;
using RpcPlugin.Core.Conversion;

namespace RpcPlugin.Core.Terraform;

/// <summary>
/// Host values to cty strings, numbers and bools, with the conversions Terraform itself makes: a number or bool
/// where a string is expected becomes its text, a numeric string a number, <c>"true"</c>/<c>"1"</c> and
/// <c>"false"</c>/<c>"0"</c> a bool.
/// </summary>
internal static class CtyScalars
{
    public static string ToText(object value) => value switch
    {
        string text => text,
        char c => c.ToString(),
        bool b => b ? "true" : "false",
        double or float => CtyNumber.FromDouble(System.Convert.ToDouble(value, CultureInfo.InvariantCulture)).ToPlainString(),
        _ when IsNumber(value) => ((CtyNumber)ToNumber(value)).ToPlainString(),
        _ => throw new CtyValueError($"expected a string, got {RequestError.Describe(value)}"),
    };

    /// <summary>A <see cref="CtyNumber"/>, or a double for doubles and floats (sent as the binary value they are).</summary>
    public static object ToNumber(object value)
    {
        switch (value)
        {
            case double or float:
                double d = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return double.IsNaN(d) ? throw new CtyValueError("NaN is not a number Terraform can hold") : d;
            case decimal m:
                return CtyNumber.FromDecimal(m);
            case BigInteger big:
                return CtyNumber.FromInteger(big);
            case ulong u:
                return CtyNumber.FromInteger(u);
            case sbyte or byte or short or ushort or int or uint or long:
                return CtyNumber.FromInteger(System.Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case string text when CtyNumber.TryParse(text, out CtyNumber parsed):
                return parsed;
            case string text:
                throw new CtyValueError($"expected a number, got '{text}', which is not one (digits with an optional fraction and exponent, as 1.5e3)");
            default:
                throw new CtyValueError($"expected a number, got {RequestError.Describe(value)}");
        }
    }

    public static bool ToBool(object value) => value switch
    {
        bool b => b,
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new CtyValueError($"expected a bool ($true or $false), got {RequestError.Describe(value)}"),
    };

    private static bool IsNumber(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong or decimal or BigInteger;
}
