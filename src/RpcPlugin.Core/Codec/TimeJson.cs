using System;
using System.Globalization;

namespace RpcPlugin.Core.Codec;

/// <summary>
/// The JSON text of Timestamp (RFC 3339, UTC with 'Z', 0/3/6/9 fractional digits) and Duration (<c>"1.5s"</c>),
/// with the ranges google/protobuf/timestamp.proto and duration.proto define.
/// </summary>
internal static class TimeJson
{
    /// <summary>0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in seconds since the Unix epoch.</summary>
    public const long MinTimestampSeconds = -62_135_596_800;
    public const long MaxTimestampSeconds = 253_402_300_799;

    /// <summary>About 10,000 years.</summary>
    public const long MaxDurationSeconds = 315_576_000_000;

    private const int MaxNanos = 999_999_999;

    public static string FormatTimestamp(long seconds, int nanos)
    {
        if (seconds is < MinTimestampSeconds or > MaxTimestampSeconds || nanos is < 0 or > MaxNanos)
        {
            throw new ProtobufCodecException($"The Timestamp {seconds}s {nanos}ns is outside 0001-01-01 to 9999-12-31 or not normalized.");
        }

        DateTime time = DateTime.UnixEpoch.AddSeconds(seconds);
        return time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture) + Fraction(nanos) + "Z";
    }

    public static string FormatDuration(long seconds, int nanos)
    {
        if (seconds is < -MaxDurationSeconds or > MaxDurationSeconds || nanos is < -MaxNanos or > MaxNanos
            || (seconds < 0 && nanos > 0) || (seconds > 0 && nanos < 0))
        {
            throw new ProtobufCodecException($"The Duration {seconds}s {nanos}ns is out of range or its seconds and nanos have different signs.");
        }

        string sign = seconds < 0 || nanos < 0 ? "-" : string.Empty;
        return sign + Math.Abs(seconds).ToString(CultureInfo.InvariantCulture) + Fraction(Math.Abs(nanos)) + "s";
    }

    public static bool TryParseTimestamp(string text, out long seconds, out int nanos)
    {
        seconds = 0;
        nanos = 0;
        ReadOnlySpan<char> s = text;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !TryDigits(s[..4], out int year) || !TryDigits(s.Slice(5, 2), out int month) || !TryDigits(s.Slice(8, 2), out int day)
            || !TryDigits(s.Slice(11, 2), out int hour) || !TryDigits(s.Slice(14, 2), out int minute) || !TryDigits(s.Slice(17, 2), out int second))
        {
            return false;
        }

        int position = 19;
        if (s[position] == '.' && !TryFraction(s, ref position, out nanos))
        {
            return false;
        }

        int offsetMinutes = 0;
        ReadOnlySpan<char> zone = s[position..];
        if (zone is not "Z")
        {
            if (zone.Length != 6 || zone[0] is not ('+' or '-') || zone[3] != ':'
                || !TryDigits(zone.Slice(1, 2), out int offsetHours) || !TryDigits(zone.Slice(4, 2), out int offsetMins)
                || offsetHours > 23 || offsetMins > 59)
            {
                return false;
            }

            offsetMinutes = ((offsetHours * 60) + offsetMins) * (zone[0] == '-' ? -1 : 1);
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        seconds = ((local.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond) - (offsetMinutes * 60L);
        return seconds is >= MinTimestampSeconds and <= MaxTimestampSeconds;
    }

    public static bool TryParseDuration(string text, out long seconds, out int nanos)
    {
        seconds = 0;
        nanos = 0;
        ReadOnlySpan<char> s = text;
        if (s.Length < 2 || s[^1] != 's')
        {
            return false;
        }

        bool negative = s[0] == '-';
        int start = negative ? 1 : 0;
        int position = start;
        while (position < s.Length - 1 && char.IsAsciiDigit(s[position]))
        {
            position++;
        }

        if (position == start || position - start > 12 || !long.TryParse(s[start..position], NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
        {
            return false;
        }

        if (s[position] == '.' && !TryFraction(s, ref position, out nanos))
        {
            return false;
        }

        if (position != s.Length - 1 || seconds > MaxDurationSeconds)
        {
            return false;
        }

        if (negative)
        {
            seconds = -seconds;
            nanos = -nanos;
        }

        return true;
    }

    /// <summary>Fractional seconds with 0, 3, 6 or 9 digits, the fewest that hold the value.</summary>
    private static string Fraction(int nanos) => nanos switch
    {
        0 => string.Empty,
        _ when nanos % 1_000_000 == 0 => "." + (nanos / 1_000_000).ToString("D3", CultureInfo.InvariantCulture),
        _ when nanos % 1_000 == 0 => "." + (nanos / 1_000).ToString("D6", CultureInfo.InvariantCulture),
        _ => "." + nanos.ToString("D9", CultureInfo.InvariantCulture),
    };

    /// <summary>Reads '.' and 1 to 9 digits at <paramref name="position"/> as nanoseconds.</summary>
    private static bool TryFraction(ReadOnlySpan<char> s, ref int position, out int nanos)
    {
        nanos = 0;
        int start = ++position;
        while (position < s.Length && char.IsAsciiDigit(s[position]))
        {
            position++;
        }

        int count = position - start;
        if (count is < 1 or > 9)
        {
            return false;
        }

        nanos = int.Parse(s[start..position], NumberStyles.None, CultureInfo.InvariantCulture);
        for (int i = count; i < 9; i++)
        {
            nanos *= 10;
        }

        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
