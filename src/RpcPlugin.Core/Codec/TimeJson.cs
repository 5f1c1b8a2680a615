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

    private const string Malformed = "it is not an RFC 3339 timestamp like 2024-05-01T12:30:00.5Z";
    private const string OutOfRange = "it is outside 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, the range of google.protobuf.Timestamp";

    /// <summary>Throws unless the values are a valid Timestamp (what a misbehaving peer might send).</summary>
    public static void CheckTimestamp(long seconds, int nanos)
    {
        if (seconds is < MinTimestampSeconds or > MaxTimestampSeconds)
        {
            throw new ProtobufCodecException($"The Timestamp {seconds}s {nanos}ns is outside 0001-01-01 to 9999-12-31: its seconds must be {MinTimestampSeconds} to {MaxTimestampSeconds}.");
        }

        if (nanos is < 0 or > MaxNanos)
        {
            throw new ProtobufCodecException($"The Timestamp {seconds}s {nanos}ns is not normalized: its nanos must be 0 to {MaxNanos} (an earlier time has fewer seconds, never negative nanos).");
        }
    }

    /// <summary>Throws unless the values are a valid Duration.</summary>
    public static void CheckDuration(long seconds, int nanos)
    {
        if (seconds is < -MaxDurationSeconds or > MaxDurationSeconds)
        {
            throw new ProtobufCodecException($"The Duration {seconds}s {nanos}ns is out of range: its seconds must be within ±{MaxDurationSeconds} (about 10,000 years).");
        }

        if (nanos is < -MaxNanos or > MaxNanos || (seconds < 0 && nanos > 0) || (seconds > 0 && nanos < 0))
        {
            throw new ProtobufCodecException($"The Duration {seconds}s {nanos}ns is not normalized: its nanos must be within ±{MaxNanos} and have the sign of its seconds (-1.5 s is -1 s and -500000000 ns).");
        }
    }

    public static string FormatTimestamp(long seconds, int nanos)
    {
        CheckTimestamp(seconds, nanos);
        DateTime time = DateTime.UnixEpoch.AddSeconds(seconds);
        return time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture) + Fraction(nanos) + "Z";
    }

    public static string FormatDuration(long seconds, int nanos)
    {
        CheckDuration(seconds, nanos);
        string sign = seconds < 0 || nanos < 0 ? "-" : string.Empty;
        return sign + Math.Abs(seconds).ToString(CultureInfo.InvariantCulture) + Fraction(Math.Abs(nanos)) + "s";
    }

    /// <summary>
    /// Parses an RFC 3339 timestamp exactly (nanoseconds, any offset). <paramref name="lenient"/> also accepts what
    /// people type: a lower-case 't' or 'z', a space between date and time, no offset (UTC), a date alone (midnight
    /// UTC). Returns null on success, else why the text is not a timestamp.
    /// </summary>
    public static string? ParseTimestamp(string text, bool lenient, out long seconds, out int nanos)
    {
        seconds = 0;
        nanos = 0;
        ReadOnlySpan<char> s = lenient ? text.AsSpan().Trim() : text;
        bool dateOnly = lenient && s.Length == 10;
        if (s.Length < (dateOnly ? 10 : 19) || s[4] != '-' || s[7] != '-'
            || !TryDigits(s[..4], out int year) || !TryDigits(s.Slice(5, 2), out int month) || !TryDigits(s.Slice(8, 2), out int day))
        {
            return Malformed;
        }

        int hour = 0, minute = 0, second = 0, position = 10;
        if (!dateOnly)
        {
            if (!(s[10] == 'T' || (lenient && s[10] is 't' or ' ')) || s[13] != ':' || s[16] != ':'
                || !TryDigits(s.Slice(11, 2), out hour) || !TryDigits(s.Slice(14, 2), out minute) || !TryDigits(s.Slice(17, 2), out second))
            {
                return Malformed;
            }

            position = 19;
            if (position < s.Length && s[position] == '.')
            {
                int digits = CountDigits(s[(position + 1)..]);
                if (digits > 9)
                {
                    return "it has more than 9 fractional digits (protobuf keeps nanoseconds)";
                }

                if (!TryFraction(s, ref position, out nanos))
                {
                    return Malformed;
                }
            }
        }

        int offsetMinutes = 0;
        ReadOnlySpan<char> zone = s[position..];
        if (zone is "Z" || (lenient && (zone is "z" || zone.IsEmpty)))
        {
            // UTC: 'Z', or (typed by a person) no offset at all.
        }
        else if (zone.Length != 6 || zone[0] is not ('+' or '-') || zone[3] != ':'
            || !TryDigits(zone.Slice(1, 2), out int offsetHours) || !TryDigits(zone.Slice(4, 2), out int offsetMins)
            || offsetHours > 23 || offsetMins > 59)
        {
            return Malformed;
        }
        else
        {
            offsetMinutes = ((offsetHours * 60) + offsetMins) * (zone[0] == '-' ? -1 : 1);
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return "it is not a valid RFC 3339 date and time (a leap second :60 cannot be represented)";
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        seconds = ((local.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond) - (offsetMinutes * 60L);
        return seconds is >= MinTimestampSeconds and <= MaxTimestampSeconds ? null : OutOfRange;
    }

    /// <summary>
    /// Parses a duration in seconds exactly (<c>"1.5s"</c>, <c>"-0.000000001s"</c>). <paramref name="lenient"/> also
    /// accepts surrounding spaces, a '+' sign and a number without the 's'. Returns null on success, else why not.
    /// </summary>
    public static string? ParseDuration(string text, bool lenient, out long seconds, out int nanos)
    {
        const string Malformed = "it is not a number of seconds like '1.5s' or '-0.25s'";
        seconds = 0;
        nanos = 0;
        ReadOnlySpan<char> s = lenient ? text.AsSpan().Trim() : text;
        if (s.Length > 0 && s[^1] == 's')
        {
            s = s[..^1];
        }
        else if (!lenient)
        {
            return Malformed;
        }

        bool negative = s.Length > 0 && s[0] == '-';
        int start = negative || (lenient && s.Length > 0 && s[0] == '+') ? 1 : 0;
        int position = start + CountDigits(s[start..]);
        if (position == start)
        {
            return Malformed;
        }

        if (position - start > 12 || !long.TryParse(s[start..position], NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds > MaxDurationSeconds)
        {
            return $"it is outside ±{MaxDurationSeconds} seconds, the range of google.protobuf.Duration";
        }

        if (position < s.Length && s[position] == '.')
        {
            if (CountDigits(s[(position + 1)..]) > 9)
            {
                return "it has more than 9 fractional digits (protobuf keeps nanoseconds)";
            }

            if (!TryFraction(s, ref position, out nanos))
            {
                return Malformed;
            }
        }

        if (position != s.Length)
        {
            return Malformed;
        }

        if (negative)
        {
            seconds = -seconds;
            nanos = -nanos;
        }

        return null;
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

    private static int CountDigits(ReadOnlySpan<char> s)
    {
        int count = 0;
        while (count < s.Length && char.IsAsciiDigit(s[count]))
        {
            count++;
        }

        return count;
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
