using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace RpcPlugin.Arguments;

/// <summary>
/// Lets TimeSpan parameters take seconds (<c>5</c>, <c>0.2</c>) or text (<c>'500ms'</c>, <c>'0.2s'</c>,
/// <c>'2m'</c>, <c>'1h'</c>, <c>'00:00:02'</c>). Without it, <c>-Timeout 5</c> would mean five ticks.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimeSpanArgumentAttribute : ArgumentTransformationAttribute
{
    private static readonly Regex WithUnit = new(@"^\s*(?<n>\d+(\.\d+)?|\.\d+)\s*(?<u>ms|s|m|h)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        TimeSpan result = value switch
        {
            TimeSpan span => span,
            int or long or short or byte or uint or ulong or ushort or sbyte => FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            double or float or decimal => FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string text => Parse(text),
            _ => throw Bad(value),
        };
        return result >= TimeSpan.Zero ? result : throw Bad(value);
    }

    /// <summary>Parses the text forms; throws a message that shows the accepted ones.</summary>
    public static TimeSpan Parse(string text)
    {
        Match match = WithUnit.Match(text);
        if (match.Success)
        {
            double number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            return match.Groups["u"].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                _ => TimeSpan.FromHours(number),
            };
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return FromSeconds(seconds);
        }

        if (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span))
        {
            return span;
        }

        throw Bad(text);
    }

    private static TimeSpan FromSeconds(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : throw Bad(seconds);

    private static ArgumentTransformationMetadataException Bad(object value) =>
        new($"'{value}' is not a duration. Use seconds (5, 0.2), a string with a unit ('500ms', '0.2s', '2m', '1h'), '00:00:02', or a [TimeSpan].");
}
