using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using RpcPlugin.Core.Attach;
using RpcPlugin.Core.Errors;
using Xunit.Abstractions;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// <see cref="ReattachConfig.Parse"/> against mutations of go-plugin ReattachConfig JSON and TF_REATTACH_PROVIDERS
/// values, and random JSON: it returns a usable config (grpc, a unix or tcp endpoint with an address) or throws
/// <see cref="PluginException"/> (InvalidArgument, or HandshakeInvalid for a protocol other than grpc), nothing else.
/// </summary>
[Collection(FuzzRunner.Collection)]
public class ReattachConfigFuzzTests
{
    private const int Seed = 7_005;
    private const int Cases = 20_000;

    private static readonly string[] Names =
    {
        "Protocol", "ProtocolVersion", "Addr", "Network", "String", "Pid", "Test", "protocol", "ADDR", "pid", "network",
        "registry.terraform.io/hashicorp/aws", "aws", "hashicorp/aws", "",
    };

    private readonly ITestOutputHelper output;

    public ReattachConfigFuzzTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    [Fact]
    public void Reattach_config_parse_fails_only_with_plugin_exceptions()
    {
        FuzzSummary summary = FuzzRunner.Run(nameof(ReattachConfigFuzzTests), Seed, Cases, Check, output);

        if (summary.Partial)
        {
            return;
        }

        Assert.Equal(Cases, summary.Cases);
        Assert.True(summary.Count("ok") > Cases / 10, summary.ToString());
        Assert.True(summary.Count(nameof(PluginErrorCode.InvalidArgument)) > Cases / 10, summary.ToString());
    }

    private static void Check(FuzzCase fuzzCase)
    {
        Random random = fuzzCase.Random;
        (string json, string? name, bool valid) = Valid(random);
        string kind = "valid";
        switch (random.Next(10))
        {
            case 0:
            case 1:
                break;
            case 2:
            case 3:
            case 4:
                (json, kind) = (JsonFuzz.TreeEdits(random, json, Names), "tree edits");
                break;
            case 5:
            case 6:
                (json, kind) = (Mutate.TextEdits(random, json, 3, JsonFuzz.Tokens), "character edits");
                break;
            case 7:
                (json, kind) = (json[..random.Next(json.Length + 1)], "truncated");
                break;
            case 8:
                (json, kind) = (JsonFuzz.RandomValue(random, Names, random.Next(5)), "random value");
                break;
            default:
                (json, kind) = (random.Next(2) == 0 ? JsonFuzz.DeepText(random.Next(1, 300), objects: true, closed: true) : Mutate.Text(random, 100), "random text");
                break;
        }

        valid &= kind == "valid";
        if (random.Next(8) == 0)
        {
            name = random.Next(2) == 0 ? null : Mutate.Text(random, 12);
            valid = false;
        }

        fuzzCase.Input(() => $"{kind} JSON, name {(name is null ? "null" : Show.Text(name))}, {json.Length} chars: {Show.Text(json)}");
        ReattachConfig config;
        try
        {
            config = ReattachConfig.Parse(json, name);
        }
        catch (PluginException e) when (e.Code is PluginErrorCode.InvalidArgument or PluginErrorCode.HandshakeInvalid)
        {
            if (valid)
            {
                throw FuzzCase.Fail($"a valid config was rejected: {e.Code}: {e.Message}");
            }

            fuzzCase.Outcome(e.Code.ToString());
            return;
        }
        catch (PluginException e)
        {
            throw FuzzCase.Fail($"PluginException with code {e.Code}: {e.Message}");
        }

        if (config.Protocol != "grpc" || config.Endpoint.Network is not ("unix" or "tcp") || config.Endpoint.Address.Length == 0 || config.Pid is <= 0)
        {
            throw FuzzCase.Fail($"accepted an unusable config: {config}");
        }

        fuzzCase.Outcome("ok");
    }

    /// <summary>A config go-plugin or Terraform could write, with the name that picks it.</summary>
    private static (string Json, string? Name, bool Valid) Valid(Random random)
    {
        string network = random.Next(2) == 0 ? "unix" : "tcp";
        string address = network == "unix" ? "/tmp/plugin" + random.Next().ToString(CultureInfo.InvariantCulture) : "127.0.0.1:" + random.Next(1, 65536).ToString(CultureInfo.InvariantCulture);
        var properties = new List<string>
        {
            $"\"{Casing(random, "Protocol")}\":\"grpc\"",
            $"\"{Casing(random, "Addr")}\":{{\"{Casing(random, "Network")}\":\"{network}\",\"{Casing(random, "String")}\":\"{address}\"}}",
        };
        if (random.Next(3) != 0)
        {
            properties.Add($"\"{Casing(random, "ProtocolVersion")}\":{random.Next(0, 10)}");
        }

        if (random.Next(3) != 0)
        {
            properties.Add($"\"{Casing(random, "Pid")}\":{random.Next(0, 100_000)}");
        }

        if (random.Next(3) == 0)
        {
            properties.Add($"\"Test\":{(random.Next(2) == 0 ? "true" : "false")}");
        }

        string config = "{" + string.Join(",", properties.OrderBy(_ => random.Next())) + "}";
        if (random.Next(2) == 0)
        {
            return (config, null, true);
        }

        // TF_REATTACH_PROVIDERS: provider addresses to configs.
        var providers = new[] { "registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/google", "example.com/me/thing" };
        int count = random.Next(1, 4);
        var text = new StringBuilder("{");
        for (int i = 0; i < count; i++)
        {
            text.Append(i > 0 ? "," : string.Empty).Append('"').Append(providers[i]).Append("\":").Append(config);
        }

        text.Append('}');
        string? name = count == 1 && random.Next(2) == 0 ? null : random.Next(3) switch
        {
            0 => providers[random.Next(count)],
            1 => providers[random.Next(count)].Split('/')[^1],
            _ => providers[random.Next(count)].Split('/', 2)[1].ToUpperInvariant(),
        };
        return (text.ToString(), name, true);
    }

    private static string Casing(Random random, string name) => random.Next(6) switch
    {
        0 => name.ToLowerInvariant(),
        1 => name.ToUpperInvariant(),
        _ => name,
    };
}
