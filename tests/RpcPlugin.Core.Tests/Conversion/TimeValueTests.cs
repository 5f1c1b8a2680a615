using System;
using System.Collections;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Tests.Codec.Proto3;
using RpcPlugin.TestPlugin.Protos;
using static RpcPlugin.Core.Tests.Conversion.ConversionTestKit;

namespace RpcPlugin.Core.Tests.Conversion;

/// <summary>
/// Timestamps and Durations in hashtable requests keep every nanosecond they are given, in protobuf's ranges, and
/// .NET dates follow one rule (issue 14, item 4): Local is converted to UTC, Unspecified is UTC.
/// </summary>
public class TimeValueTests
{
    [Theory]
    [InlineData("2024-12-31T23:59:59.99999999Z", 1_735_689_599L, 999_999_990)]
    [InlineData("2024-12-31T23:59:59.999999999Z", 1_735_689_599L, 999_999_999)]
    [InlineData("9999-12-31T23:59:59.999999999Z", 253_402_300_799L, 999_999_999)]
    [InlineData("0001-01-01T00:00:00Z", -62_135_596_800L, 0)]
    [InlineData("1969-12-31T23:59:59.000000001Z", -1L, 1)]
    [InlineData("2024-01-01T09:00:00.000000001+09:00", 1_704_067_200L, 1)]
    [InlineData("2023-12-31T19:30:00.5-04:30", 1_704_067_200L, 500_000_000)]
    public void A_timestamp_string_is_kept_to_the_nanosecond(string text, long seconds, int nanos)
    {
        AllTypes sent = SendField("w_timestamp", text);

        Assert.Equal(seconds, sent.WTimestamp.Seconds);
        Assert.Equal(nanos, sent.WTimestamp.Nanos);
    }

    [Fact]
    public void A_timestamp_string_gives_what_the_same_json_gives()
    {
        const string text = "2024-12-31T23:59:59.99999999Z";

        AllTypes fromHashtable = SendField("w_timestamp", text);
        AllTypes fromJson = Send("{\"wTimestamp\":\"" + text + "\"}");

        Assert.Equal(fromJson.WTimestamp, fromHashtable.WTimestamp);
    }

    [Theory]
    [InlineData("2024-05-01 12:30:00.123456789")]
    [InlineData("2024-05-01t12:30:00.123456789z")]
    [InlineData(" 2024-05-01T12:30:00.123456789 ")]
    public void A_timestamp_typed_without_an_offset_or_with_a_space_is_utc(string text)
    {
        AllTypes sent = SendField("w_timestamp", text);

        Assert.Equal(1_714_566_600L, sent.WTimestamp.Seconds);
        Assert.Equal(123_456_789, sent.WTimestamp.Nanos);
    }

    [Fact]
    public void A_date_alone_is_midnight_utc_and_other_dotnet_forms_are_utc_too()
    {
        Assert.Equal(1_714_521_600L, SendField("w_timestamp", "2024-05-01").WTimestamp.Seconds);
        Assert.Equal(1_714_566_600L, SendField("w_timestamp", "May 1, 2024 12:30").WTimestamp.Seconds);
    }

    [Theory]
    [InlineData("2024-12-31T23:59:59.9999999999Z", "more than 9 fractional digits")]
    [InlineData("0001-01-01T00:00:00+00:01", "outside 0001-01-01T00:00:00Z")]
    [InlineData("2016-12-31T23:59:60Z", "leap second")]
    [InlineData("12/31/2024 23:59:59.99999999", "w_timestamp")]
    [InlineData("soon", "w_timestamp")]
    public void A_timestamp_that_cannot_be_kept_exactly_is_refused_saying_why(string text, string expected)
    {
        var error = Refused(new Hashtable { ["w_timestamp"] = text });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("w_timestamp", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12:30")]
    [InlineData("12:30:00.5")]
    [InlineData("12:30 PM")]
    [InlineData("23:30 -05:00")]
    [InlineData("May 1 12:30")]
    public void A_time_without_a_date_is_refused_not_sent_as_today(string text)
    {
        var error = Refused(new Hashtable { ["w_timestamp"] = text });

        Assert.Contains("'w_timestamp'", error.Message, StringComparison.Ordinal);
        Assert.Contains("with a date", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("w_timestamp", long.MaxValue, 0, "seconds must be -62135596800 to 253402300799")]
    [InlineData("w_timestamp", -62_135_596_801L, 0, "seconds must be")]
    [InlineData("w_timestamp", 1L, 2_000_000_000, "nanos must be 0 to 999999999")]
    [InlineData("w_timestamp", 1L, -1, "nanos must be 0 to 999999999")]
    [InlineData("w_duration", 1L, -5, "sign of its seconds")]
    [InlineData("w_duration", -1L, 5, "sign of its seconds")]
    [InlineData("w_duration", 0L, 1_000_000_000, "nanos must be within ±999999999")]
    [InlineData("w_duration", 315_576_000_001L, 0, "within ±315576000000")]
    public void A_timestamp_or_duration_given_as_its_fields_is_checked_as_its_other_forms_are(string field, long seconds, int nanos, string expected)
    {
        var error = Refused(new Hashtable { [field] = new Hashtable { ["seconds"] = seconds, ["nanos"] = nanos } });

        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamp_and_duration_fields_are_checked_in_lists_maps_and_anys_too()
    {
        var inList = Assert.Throws<PluginException>(() => Builder.Build(WellKnown.Descriptor, new Hashtable
        {
            ["timestamps"] = new object[] { "2024-05-01T00:00:00Z", new Hashtable { ["nanos"] = -1 } },
        }));
        var inMap = Assert.Throws<PluginException>(() => Builder.Build(MapKeys.Descriptor, new Hashtable
        {
            ["v_timestamp"] = new Hashtable { ["k"] = new Hashtable { ["seconds"] = long.MinValue } },
        }));
        var inAny = Refused(new Hashtable
        {
            ["w_any"] = new Hashtable { ["@type"] = "testplugin.AllTypes", ["w_duration"] = new Hashtable { ["seconds"] = 1, ["nanos"] = -5 } },
        });

        Assert.Contains("'timestamps[1]'", inList.Message, StringComparison.Ordinal);
        Assert.Contains("'v_timestamp[k]'", inMap.Message, StringComparison.Ordinal);
        Assert.Contains("'w_any.@type=testplugin.AllTypes.w_duration'", inAny.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timestamp_or_duration_given_as_valid_fields_is_sent_as_given()
    {
        AllTypes sent = Send(new Hashtable
        {
            ["w_timestamp"] = new Hashtable { ["seconds"] = -1, ["nanos"] = 999_999_999 },
            ["w_duration"] = new Hashtable { ["seconds"] = -1, ["nanos"] = -5 },
        });

        Assert.Equal((-1L, 999_999_999), (sent.WTimestamp.Seconds, sent.WTimestamp.Nanos));
        Assert.Equal((-1L, -5), Parts(sent));
    }

    [Fact]
    public void A_datetime_of_kind_unspecified_is_utc_like_the_same_text()
    {
        var unspecified = new DateTime(2024, 5, 1, 12, 30, 0, DateTimeKind.Unspecified).AddTicks(1234567);

        AllTypes fromDate = SendField("w_timestamp", unspecified);
        AllTypes fromText = SendField("w_timestamp", "2024-05-01T12:30:00.1234567");

        Assert.Equal(fromText.WTimestamp, fromDate.WTimestamp);
        Assert.Equal(123_456_700, fromDate.WTimestamp.Nanos);
    }

    [Fact]
    public void A_local_datetime_is_converted_to_utc_and_a_datetimeoffset_keeps_its_instant()
    {
        var local = new DateTime(2024, 5, 1, 12, 30, 0, DateTimeKind.Local);
        var offset = new DateTimeOffset(2024, 5, 1, 14, 30, 0, TimeSpan.FromHours(2));

        Assert.Equal(new DateTimeOffset(local).ToUnixTimeSeconds(), SendField("w_timestamp", local).WTimestamp.Seconds);
        Assert.Equal(1_714_566_600L, SendField("w_timestamp", offset).WTimestamp.Seconds);
    }

    [Fact]
    public void Dates_and_times_in_a_struct_are_written_as_proto3_json_writes_them()
    {
        var request = new Hashtable
        {
            ["w_struct"] = new Hashtable
            {
                ["date"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified),
                ["offset"] = new DateTimeOffset(2024, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)).AddTicks(1),
                ["span"] = TimeSpan.FromSeconds(-1.5),
            },
        };

        AllTypes sent = Send(request);

        Assert.Equal("2024-01-02T03:04:05Z", sent.WStruct.Fields["date"].StringValue);
        Assert.Equal("2024-01-02T03:04:05.000000100Z", sent.WStruct.Fields["offset"].StringValue);
        Assert.Equal("-1.500s", sent.WStruct.Fields["span"].StringValue);
    }

    [Theory]
    [InlineData("315576000000.123456789s", 315_576_000_000L, 123_456_789)]
    [InlineData("-315576000000.123456789s", -315_576_000_000L, -123_456_789)]
    [InlineData("1.000000001s", 1L, 1)]
    [InlineData("1.000000001", 1L, 1)]
    [InlineData("+2s", 2L, 0)]
    [InlineData("-0.000000001s", 0L, -1)]
    [InlineData("00:00:01.5", 1L, 500_000_000)]
    [InlineData("1.02:03:04", 93_784L, 0)]
    public void A_duration_string_is_kept_to_the_nanosecond(string text, long seconds, int nanos)
    {
        AllTypes sent = SendField("w_duration", text);

        Assert.Equal(seconds, sent.WDuration.Seconds);
        Assert.Equal(nanos, sent.WDuration.Nanos);
    }

    [Fact]
    public void A_duration_number_is_exact_for_integers_and_decimals_and_nearest_for_doubles()
    {
        Assert.Equal((315_576_000_000L, 0), Parts(SendField("w_duration", 315_576_000_000L)));
        Assert.Equal((315_576_000_000L, 123_456_789), Parts(SendField("w_duration", 315_576_000_000.123456789m)));
        Assert.Equal((-1L, -5), Parts(SendField("w_duration", -1.000000005m)));
        Assert.Equal((1L, 0), Parts(SendField("w_duration", 0.9999999999m))); // rounded to the nanosecond, carried
        Assert.Equal((1L, 1), Parts(SendField("w_duration", 1.000000001)));
        Assert.Equal((0L, 100_000_000), Parts(SendField("w_duration", 0.1)));
        Assert.Equal((-1L, -500_000_000), Parts(SendField("w_duration", -1.5)));
        Assert.Equal((7L, 0), Parts(SendField("w_duration", (byte)7)));
    }

    [Fact]
    public void A_timespan_is_exact_to_its_100_ns()
    {
        Assert.Equal((-1L, -500_000_100), Parts(SendField("w_duration", TimeSpan.FromTicks(-15_000_001))));
    }

    [Theory]
    [InlineData("315576000001s")]
    [InlineData("1.0000000001s")]
    [InlineData("1e3s")]
    [InlineData("1.5 s")]
    public void A_duration_string_outside_the_range_or_finer_than_a_nanosecond_is_refused(string text)
    {
        var error = Refused(new Hashtable { ["w_duration"] = text });

        Assert.Contains("w_duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duration_outside_protobufs_range_is_refused_whatever_its_form()
    {
        foreach (object value in new object[] { TimeSpan.MaxValue, TimeSpan.MinValue, 315_576_000_001L, ulong.MaxValue, 315_576_000_000.9999999999m, 4e11 })
        {
            var error = Refused(new Hashtable { ["w_duration"] = value });
            Assert.Contains("315576000000", error.Message, StringComparison.Ordinal);
        }
    }

    private static (long, int) Parts(AllTypes message) => (message.WDuration.Seconds, message.WDuration.Nanos);
}
