using System;
using System.Collections;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Core.Tests;

public class ClientDefaultsTests
{
    [Fact]
    public void Defaults_are_pyviders_when_the_environment_is_silent()
    {
        ClientDefaults defaults = ClientDefaults.FromEnvironment(new Hashtable());

        Assert.Equal(TimeSpan.FromSeconds(10), defaults.StartTimeout);
        Assert.Equal(3, defaults.MaxRetries);
        Assert.Equal(2.0, defaults.BackoffMultiplier);
        Assert.Equal(TimeSpan.FromSeconds(60), defaults.BackoffMax);
        Assert.True(defaults.AutoMtls);
        Assert.True(defaults.VerifyServer);
        Assert.Equal("PLUGIN_MAGIC_COOKIE", defaults.MagicCookieKey);
        Assert.Equal("test_cookie_value", defaults.MagicCookieValue);
    }

    [Fact]
    public void Defaults_come_from_the_plugin_variables()
    {
        var environment = new Hashtable
        {
            ["PLUGIN_CONNECTION_TIMEOUT"] = "1.5",
            ["PLUGIN_CLIENT_MAX_RETRIES"] = "0",
            ["PLUGIN_CLIENT_BACKOFF_MULTIPLIER"] = "3",
            ["PLUGIN_CLIENT_BACKOFF_MAX"] = "2",
            ["PLUGIN_AUTO_MTLS"] = "off",
            ["PLUGIN_CLIENT_VERIFY_SERVER"] = "No",
            ["PLUGIN_CA_CERT"] = "file:///etc/ca.pem",
            ["PLUGIN_MAGIC_COOKIE_KEY"] = "BASIC_PLUGIN",
            ["PLUGIN_MAGIC_COOKIE_VALUE"] = "hello",
        };

        ClientDefaults defaults = ClientDefaults.FromEnvironment(environment);

        Assert.Equal(TimeSpan.FromSeconds(1.5), defaults.StartTimeout);
        Assert.Equal(0, defaults.MaxRetries);
        Assert.Equal(3.0, defaults.BackoffMultiplier);
        Assert.Equal(TimeSpan.FromSeconds(2), defaults.BackoffMax);
        Assert.False(defaults.AutoMtls);
        Assert.False(defaults.VerifyServer);
        Assert.Equal("file:///etc/ca.pem", defaults.CertificateAuthorityPath);
        Assert.Equal("BASIC_PLUGIN", defaults.MagicCookieKey);
        Assert.Equal("hello", defaults.MagicCookieValue);
    }

    [Theory]
    [InlineData("PLUGIN_CONNECTION_TIMEOUT", "soon")]
    [InlineData("PLUGIN_CONNECTION_TIMEOUT", "-1")]
    [InlineData("PLUGIN_CONNECTION_TIMEOUT", "900000000000")]
    [InlineData("PLUGIN_CONNECTION_TIMEOUT", "5184000")]
    [InlineData("PLUGIN_CLIENT_BACKOFF_MAX", "5184000")]
    [InlineData("PLUGIN_CLIENT_MAX_RETRIES", "many")]
    [InlineData("PLUGIN_AUTO_MTLS", "maybe")]
    public void A_value_that_cannot_be_read_is_an_error_naming_the_variable(string name, string value)
    {
        var error = Assert.Throws<PluginException>(() => ClientDefaults.FromEnvironment(new Hashtable { [name] = value }));

        Assert.Equal(PluginErrorCode.InvalidArgument, error.Code);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeout_variable_takes_the_same_range_as_the_timeout_parameters()
    {
        var error = Assert.Throws<PluginException>(() => ClientDefaults.FromEnvironment(new Hashtable { ["PLUGIN_CONNECTION_TIMEOUT"] = "2073601" }));

        Assert.Contains("at most 24 days (2073600 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(24), ClientDefaults.FromEnvironment(new Hashtable { ["PLUGIN_CONNECTION_TIMEOUT"] = "2073600" }).StartTimeout);
    }
}
