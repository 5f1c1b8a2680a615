using System;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Launch;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Core.Tests;

/// <summary>What a start is given is checked before anything runs, whichever way it came (parameter, environment, API).</summary>
public class StartArgumentsTests
{
    [Theory]
    [InlineData("", "v", "name '' is not valid")]
    [InlineData("K=V", "v", "name 'K=V' is not valid")]
    [InlineData("K\0", "v", "NUL")]
    [InlineData("K", "a\0b", "NUL")]
    public void A_magic_cookie_no_environment_can_hold_is_refused(string key, string value, string expected)
    {
        var info = new PluginStartInfo("/plugin") { MagicCookieKey = key, MagicCookieValue = value };

        var error = Assert.Throws<PluginException>(() => StartArguments.Check(info));

        Assert.Equal(PluginErrorCode.InvalidArgument, error.Code);
        Assert.Contains("magic cookie", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(5_184_000.0)]
    public void A_start_timeout_outside_the_range_is_refused(double seconds)
    {
        var info = new PluginStartInfo("/plugin") { StartTimeout = TimeSpan.FromSeconds(seconds) };

        var error = Assert.Throws<PluginException>(() => StartArguments.Check(info));

        Assert.Equal(PluginErrorCode.InvalidArgument, error.Code);
        Assert.Contains("at most 24 days", error.Message, StringComparison.Ordinal);
    }
}
