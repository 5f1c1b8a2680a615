using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Arguments;

/// <summary>
/// Lets TimeSpan parameters take seconds (<c>5</c>, <c>0.2</c>) or text (<c>'500ms'</c>, <c>'0.2s'</c>,
/// <c>'2m'</c>, <c>'1h'</c>, <c>'00:00:02'</c>). Without it, <c>-Timeout 5</c> would mean five ticks. Every form
/// must lie in <see cref="TimeoutRange"/>: a wait of no time can only fail, and one longer than .NET's timers
/// allow would fail after the work had started.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimeSpanArgumentAttribute : ArgumentTransformationAttribute
{
    private static readonly Regex WithUnit = new(@"^\s*(?<n>\d+(\.\d+)?|\.\d+)\s*(?<u>ms|s|m|h)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Whether 0 is allowed, for a parameter whose help gives 0 a meaning (Stop-RpcPlugin -Timeout: no wait).</summary>
    public bool AllowZero { get; set; }

    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        double seconds = value switch
        {
            TimeSpan span => span.TotalSeconds,
            int or long or short or byte or uint or ulong or ushort or sbyte or double or float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            string text => ParseSeconds(text),
            _ => throw Bad(value),
        };
        if (!TimeoutRange.ContainsSeconds(seconds, AllowZero))
        {
            // PowerShell reads an unquoted 0.2s as the [short] 0, so the unit the user wrote never reaches us.
            string unquoted = value is short ? " An unquoted number with 's' is a [short] in PowerShell (0.2s is 0): quote it, '0.2s'." : string.Empty;
            throw new ArgumentTransformationMetadataException($"'{value}' is out of range: give {TimeoutRange.Describe(AllowZero)}.{unquoted}");
        }

        return value is TimeSpan given ? given : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The seconds the text forms mean, unchecked for range; throws a message that shows the accepted forms.</summary>
    private static double ParseSeconds(string text)
    {
        Match match = WithUnit.Match(text);
        if (match.Success)
        {
            double number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            return match.Groups["u"].Value.ToLowerInvariant() switch
            {
                "ms" => number / 1000,
                "s" => number,
                "m" => number * 60,
                _ => number * 3600,
            };
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return seconds;
        }

        if (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span))
        {
            return span.TotalSeconds;
        }

        throw Bad(text);
    }

    private static ArgumentTransformationMetadataException Bad(object value) =>
        new($"'{value}' is not a duration. Use seconds (5, 0.2), a string with a unit ('500ms', '0.2s', '2m', '1h'), '00:00:02', or a [TimeSpan].");
}
