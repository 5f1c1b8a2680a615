using System.Collections.Generic;
using RpcPlugin.TerraformProvider.Cty;
using RpcPlugin.TerraformProvider.Schema;
using static RpcPlugin.TerraformProvider.Provider.ValueHelpers;

namespace RpcPlugin.TerraformProvider.Provider;

/// <summary>
/// The provider's behaviour, the same for both protocol versions: configuration, the echo data source, and the
/// thing resource kept in memory (README.md lists the behaviours and the values that trigger diagnostics).
/// </summary>
internal sealed partial class ThingProvider
{
    private readonly object gate = new();
    private string? endpoint;
    private bool configured;

    public ThingProvider(int protocolVersion)
    {
        ProtocolVersion = protocolVersion;
        Schemas = new ProviderSchemas(protocolVersion);
    }

    public int ProtocolVersion { get; }

    public ProviderSchemas Schemas { get; }

    /// <summary>The schema's error diagnostic when TF_TESTPROVIDER_SCHEMA_ERROR is set (a provider that cannot give its schema); else null.</summary>
    public static List<Diag>? SchemaFailure() =>
        System.Environment.GetEnvironmentVariable("TF_TESTPROVIDER_SCHEMA_ERROR") is { Length: > 0 } summary
            ? new List<Diag> { Diag.Error(summary, "TF_TESTPROVIDER_SCHEMA_ERROR is set.") }
            : null;

    /// <summary>Waits TF_TESTPROVIDER_SCHEMA_DELAY seconds before answering a schema request (a large provider's first schema).</summary>
    public static System.Threading.Tasks.Task SchemaDelay(System.Threading.CancellationToken cancellationToken) =>
        double.TryParse(System.Environment.GetEnvironmentVariable("TF_TESTPROVIDER_SCHEMA_DELAY"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds) && seconds > 0
            ? System.Threading.Tasks.Task.Delay(System.TimeSpan.FromSeconds(seconds), cancellationToken)
            : System.Threading.Tasks.Task.CompletedTask;

    public List<Diag> ValidateProviderConfig(byte[]? config)
    {
        var diagnostics = new List<Diag>();
        object? value = Decode(config, Schemas.Provider);
        if (Number(Get(value, "retries")) is < 0)
        {
            diagnostics.Add(Diag.Error("retries cannot be negative", "Give 0 or more.", new PathStep("retries")));
        }

        return diagnostics;
    }

    public List<Diag> Configure(byte[]? config)
    {
        object? value = Decode(config, Schemas.Provider);
        if (Get(value, "fail_configure") is true)
        {
            return new List<Diag> { Diag.Error("Configuration refused", "fail_configure is true.", new PathStep("fail_configure")) };
        }

        lock (gate)
        {
            endpoint = Get(value, "endpoint") as string;
            configured = true;
        }

        return new List<Diag>();
    }

    public List<Diag> ValidateDataSource(string typeName, byte[]? config)
    {
        if (typeName != ProviderSchemas.DataSourceName)
        {
            return new List<Diag> { Diag.Error($"Unknown data source {typeName}") };
        }

        object? value = Decode(config, Schemas.DataSource);
        return Get(value, "text") is "bad"
            ? new List<Diag> { Diag.Error("Bad text", "text must not be 'bad'.", new PathStep("text")) }
            : new List<Diag>();
    }

    public (byte[]? State, List<Diag> Diagnostics) ReadDataSource(string typeName, byte[]? config, byte[]? providerMeta)
    {
        var diagnostics = ValidateDataSource(typeName, config);
        lock (gate)
        {
            if (!configured)
            {
                diagnostics.Add(Diag.Error("Provider not configured", "Call ConfigureProvider (Configure) first."));
            }
        }

        if (diagnostics.Exists(d => d.IsError))
        {
            return (null, diagnostics);
        }

        var state = Copy(Decode(config, Schemas.DataSource));
        state["id"] = "echo";
        state["output"] = state.GetValueOrDefault("input");
        lock (gate)
        {
            state["endpoint"] = endpoint;
        }

        state["module_name"] = Get(Decode(providerMeta, Schemas.ProviderMeta), "module_name");
        if (state.GetValueOrDefault("warn") is string warning)
        {
            diagnostics.Add(Diag.Warning(warning, "You asked for this warning.", new PathStep("warn")));
        }

        return (Encode(state, Schemas.DataSource), diagnostics);
    }

    private static object? Decode(byte[]? msgpack, TfSchema schema) =>
        msgpack is null or { Length: 0 } ? null : TfMsgpack.Decode(msgpack, schema.Block.ImpliedType);

    private static byte[] Encode(object? value, TfSchema schema) => TfMsgpack.Encode(value, schema.Block.ImpliedType);
}
