using System;
using System.Collections;
using System.Globalization;
using System.Threading;
using Grpc.Core;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Invocation;

namespace RpcPlugin.Core.Tests.Invocation;

/// <summary>
/// What -Metadata values become on the wire: dates as RFC 3339 by the module's one rule for .NET dates, other
/// values as invariant text, and -bin text in every base64 form bytes fields take.
/// </summary>
public class MetadataConverterTests
{
    [Fact]
    public void A_datetime_of_kind_unspecified_is_sent_as_rfc3339_utc()
    {
        Assert.Equal("2024-05-01T10:00:00Z", Single(new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Unspecified)));
    }

    [Fact]
    public void A_datetime_of_kind_utc_keeps_its_fraction()
    {
        Assert.Equal("2024-05-01T10:00:00.123Z", Single(new DateTime(2024, 5, 1, 10, 0, 0, 123, DateTimeKind.Utc)));
    }

    [Fact]
    public void A_local_datetime_is_converted_to_utc()
    {
        var local = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Local);
        string expected = local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        Assert.Equal(expected, Single(local));
    }

    [Fact]
    public void A_datetimeoffset_is_sent_as_rfc3339_utc()
    {
        Assert.Equal("2024-05-01T08:00:00Z", Single(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void A_timespan_is_sent_as_a_protobuf_duration()
    {
        Assert.Equal("1.500s", Single(TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public void Numbers_and_booleans_do_not_depend_on_the_culture()
    {
        CultureInfo before = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Assert.Equal("1.5", Single(1.5));
            Assert.Equal("1.5", Single(1.5f));
            Assert.Equal("1234567.5", Single(1234567.5m));
            Assert.Equal("true", Single(true));
            Assert.Equal("-3", Single(-3));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = before;
        }
    }

    [Fact]
    public void An_object_without_a_text_form_is_refused()
    {
        var error = Assert.Throws<PluginException>(() => MetadataConverter.FromDictionary(new Hashtable { ["x-a"] = new object() }));

        Assert.Equal(PluginErrorCode.InvalidArgument, error.Code);
        Assert.Contains("x-a", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AQID/w==")]
    [InlineData("AQID/w")]
    [InlineData("AQID_w")]
    [InlineData("AQID_w==")]
    [InlineData(" AQID\n/w== ")]
    public void A_bin_value_takes_every_base64_form_bytes_fields_take(string text)
    {
        Metadata metadata = MetadataConverter.FromDictionary(new Hashtable { ["x-b-bin"] = text });

        Assert.Equal(new byte[] { 1, 2, 3, 255 }, Assert.Single(metadata).ValueBytes);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("A")]
    [InlineData("AQ=D")]
    public void A_bin_value_that_is_not_base64_is_refused(string text)
    {
        var error = Assert.Throws<PluginException>(() => MetadataConverter.FromDictionary(new Hashtable { ["x-b-bin"] = text }));

        Assert.Equal(PluginErrorCode.InvalidArgument, error.Code);
        Assert.Contains("not base64", error.Message, StringComparison.Ordinal);
    }

    private static string Single(object value) => Assert.Single(MetadataConverter.FromDictionary(new Hashtable { ["x-a"] = value })).Value;
}
