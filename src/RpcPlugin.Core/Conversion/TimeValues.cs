using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using RpcPlugin.Core.Codec;

namespace RpcPlugin.Core.Conversion;

/// <summary>
/// Timestamp and Duration from the values people pass, kept to the nanosecond where the value has nanoseconds, in
/// the ranges protobuf defines (years 1 to 9999; ±315,576,000,000 seconds). One rule for .NET dates: a
/// <see cref="DateTime"/> of kind Local is converted to UTC, and one of kind Unspecified is already UTC, as a
/// timestamp string without an offset is.
/// </summary>
internal static class TimeValues
{
    private const long NanosPerSecond = 1_000_000_000;
    private const long NanosPerTick = 100;

    private static readonly Regex LongFraction = new(@"\.\d{8,}", RegexOptions.CultureInvariant);

    /// <summary>The UTC instant of a .NET date: Local converted, Unspecified taken as UTC.</summary>
    public static DateTimeOffset Utc(DateTime date) =>
        date.Kind == DateTimeKind.Local ? new DateTimeOffset(date.ToUniversalTime(), TimeSpan.Zero) : new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc), TimeSpan.Zero);

    public static (long Seconds, int Nanos) ToTimestamp(object? value, string path)
    {
        switch (value)
        {
            case DateTimeOffset offset:
                return SinceEpoch(offset);
            case DateTime date:
                return SinceEpoch(Utc(date));
            case string text:
                string? problem = TimeJson.ParseTimestamp(text, lenient: true, out long seconds, out int nanos);
                if (problem is null)
                {
                    return (seconds, nanos);
                }

                // Other forms .NET reads ('May 1, 2024 12:30'), as UTC unless they say otherwise; they are exact to
                // 100 ns, so a longer fraction must be written as RFC 3339 to be kept.
                if (!LongFraction.IsMatch(text)
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
                {
                    return HasDate(text, parsed)
                        ? SinceEpoch(parsed)
                        : throw RequestError.WrongValue(path, "a timestamp with a date for google.protobuf.Timestamp (a time alone would be sent as today's; write '2024-05-01T12:30:00Z')", value);
                }

                throw RequestError.WrongValue(path, $"a timestamp for google.protobuf.Timestamp ({problem})", value);
            default:
                throw RequestError.WrongValue(path, "a [DateTimeOffset], [DateTime] or RFC 3339 string (2024-05-01T12:30:00.123456789Z) for google.protobuf.Timestamp", value);
        }
    }

    /// <summary>
    /// Refuses a Timestamp or Duration given as its fields (<c>@{ seconds = 1; nanos = 5 }</c>) that is out of its
    /// type's range or not normalized, as its other forms are: no protobuf runtime would accept it from the plugin's
    /// side either.
    /// </summary>
    public static void CheckFields(DynamicMessage message, string path)
    {
        WellKnownType type = WellKnownTypes.Of(message.Descriptor);
        if (type is not (WellKnownType.Timestamp or WellKnownType.Duration))
        {
            return;
        }

        long seconds = (long?)message[message.Descriptor.FindFieldByNumber(1)] ?? 0;
        int nanos = (int?)message[message.Descriptor.FindFieldByNumber(2)] ?? 0;
        try
        {
            if (type == WellKnownType.Timestamp)
            {
                TimeJson.CheckTimestamp(seconds, nanos);
            }
            else
            {
                TimeJson.CheckDuration(seconds, nanos);
            }
        }
        catch (ProtobufCodecException e)
        {
            throw RequestError.Create(path, e.Reason.TrimEnd('.'));
        }
    }

    public static (long Seconds, int Nanos) ToDuration(object? value, string path)
    {
        const string Expected = "a [TimeSpan], a number of seconds, or a string like '1.5s' or '00:01:30' for google.protobuf.Duration";
        (long Seconds, int Nanos) result;
        switch (value)
        {
            case TimeSpan span:
                result = FromTicks(span.Ticks);
                break;
            case sbyte or byte or short or ushort or int or uint or long or ulong or BigInteger or Int128 or UInt128:
                BigInteger whole = value switch
                {
                    BigInteger big => big,
                    Int128 i128 => i128,
                    UInt128 u128 => u128,
                    _ => new BigInteger(Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
                };
                result = whole >= -TimeJson.MaxDurationSeconds && whole <= TimeJson.MaxDurationSeconds ? ((long)whole, 0) : throw OutOfRange(path, value);
                break;
            case decimal exact:
                result = FromDecimal(exact, path, value);
                break;
            case double or float or Half:
                result = FromDouble(value is Half half ? (double)half : Convert.ToDouble(value, CultureInfo.InvariantCulture), path, value);
                break;
            case string text when text.Contains(':', StringComparison.Ordinal):
                result = TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out TimeSpan parsed)
                    ? FromTicks(parsed.Ticks)
                    : throw RequestError.WrongValue(path, Expected, value);
                break;
            case string text:
                string? problem = TimeJson.ParseDuration(text, lenient: true, out long seconds, out int nanos);
                result = problem is null ? (seconds, nanos) : throw RequestError.WrongValue(path, $"a duration for google.protobuf.Duration ({problem})", value);
                break;
            default:
                throw RequestError.WrongValue(path, Expected, value);
        }

        return Math.Abs(result.Seconds) <= TimeJson.MaxDurationSeconds ? result : throw OutOfRange(path, value);
    }

    /// <summary>A .NET date or time as the proto3 JSON text of a Timestamp or Duration (how a Struct holds them).</summary>
    public static string? ToJsonText(object value) => value switch
    {
        DateTimeOffset offset => Timestamp(SinceEpoch(offset)),
        DateTime date => Timestamp(SinceEpoch(Utc(date))),
        TimeSpan span when Math.Abs(span.Ticks / TimeSpan.TicksPerSecond) <= TimeJson.MaxDurationSeconds => Duration(FromTicks(span.Ticks)),
        _ => null,
    };

    private static string Timestamp((long Seconds, int Nanos) value) => TimeJson.FormatTimestamp(value.Seconds, value.Nanos);

    private static string Duration((long Seconds, int Nanos) value) => TimeJson.FormatDuration(value.Seconds, value.Nanos);

    /// <summary>
    /// Whether text .NET read as a date and time had a date: for text without one .NET takes today's, so the text
    /// then reads otherwise when .NET is told to take year 1 instead.
    /// </summary>
    private static bool HasDate(string text, DateTimeOffset parsed) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.NoCurrentDateDefault | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime withoutToday)
        && withoutToday.Ticks == parsed.UtcTicks;

    /// <summary>A Timestamp's seconds since the epoch and nanoseconds, which are never negative.</summary>
    private static (long, int) SinceEpoch(DateTimeOffset time)
    {
        long seconds = Math.DivRem(time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.TicksPerSecond, out long remainder);
        return remainder < 0 ? (seconds - 1, (int)((remainder + TimeSpan.TicksPerSecond) * NanosPerTick)) : (seconds, (int)(remainder * NanosPerTick));
    }

    /// <summary>A Duration's seconds and nanoseconds, which share their sign as duration.proto requires.</summary>
    private static (long, int) FromTicks(long ticks) => (ticks / TimeSpan.TicksPerSecond, (int)(ticks % TimeSpan.TicksPerSecond * NanosPerTick));

    private static (long, int) FromDecimal(decimal value, string path, object original)
    {
        decimal seconds = decimal.Truncate(value);
        if (Math.Abs(seconds) > TimeJson.MaxDurationSeconds)
        {
            throw OutOfRange(path, original);
        }

        // Exact to the nanosecond; digits past it (a decimal holds up to 28) are rounded to the nearest.
        long nanos = (long)decimal.Round((value - seconds) * NanosPerSecond, MidpointRounding.AwayFromZero);
        return Carry((long)seconds, nanos);
    }

    private static (long, int) FromDouble(double value, string path, object original)
    {
        if (!double.IsFinite(value) || Math.Abs(value) >= TimeJson.MaxDurationSeconds + 1)
        {
            throw OutOfRange(path, original);
        }

        // The nanosecond nearest to the double's own value: exact for the double, though a double has only 15 to 17
        // significant digits (a [decimal] or a string keeps them all).
        double seconds = Math.Truncate(value);
        return Carry((long)seconds, (long)Math.Round((value - seconds) * NanosPerSecond, MidpointRounding.AwayFromZero));
    }

    /// <summary>Rounding up to a whole second carries into the seconds.</summary>
    private static (long, int) Carry(long seconds, long nanos) => Math.Abs(nanos) >= NanosPerSecond
        ? (seconds + Math.Sign(nanos), (int)(nanos - (Math.Sign(nanos) * NanosPerSecond)))
        : (seconds, (int)nanos);

    private static Exception OutOfRange(string path, object original) =>
        RequestError.WrongValue(path, $"a duration within ±{TimeJson.MaxDurationSeconds} seconds (about 10,000 years), the range of google.protobuf.Duration", original);
}
