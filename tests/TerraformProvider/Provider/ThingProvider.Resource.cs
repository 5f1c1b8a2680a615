using System.Collections.Generic;
using System.Text.Json;
using RpcPlugin.TerraformProvider.Cty;
using RpcPlugin.TerraformProvider.Schema;
using static RpcPlugin.TerraformProvider.Provider.ValueHelpers;

namespace RpcPlugin.TerraformProvider.Provider;

/// <summary>The rpcplugin_thing resource: plan, apply, read, import and upgrade, kept in memory.</summary>
internal sealed partial class ThingProvider
{
    private const string Created = "2024-01-02T03:04:05Z";
    private readonly Dictionary<string, SortedDictionary<string, object?>> things = new();
    private long serial;

    public List<Diag> ValidateResource(string typeName, byte[]? config)
    {
        if (typeName != ProviderSchemas.ResourceName)
        {
            return new List<Diag> { Diag.Error($"Unknown resource type {typeName}") };
        }

        var diagnostics = new List<Diag>();
        object? value = Decode(config, Schemas.Resource);
        if (Get(value, "name") is "invalid")
        {
            diagnostics.Add(Diag.Error("Invalid name", "'invalid' is not a valid name.", new PathStep("name")));
        }

        if (Number(Get(value, "size")) is < 0)
        {
            diagnostics.Add(Diag.Error("Invalid size", "size cannot be negative.", new PathStep("size")));
        }

        if (Get(value, "rule") is List<object?> rules)
        {
            for (int i = 0; i < rules.Count; i++)
            {
                if (Number(Get(rules[i], "port")) is < 1 or > 65535)
                {
                    diagnostics.Add(Diag.Error("Invalid port", "A port is between 1 and 65535.", new PathStep("rule"), new PathStep(Index: i), new PathStep("port")));
                }
            }
        }

        if (Get(value, "tags") is SortedDictionary<string, object?> tags && tags.ContainsKey("forbidden"))
        {
            diagnostics.Add(Diag.Error("Forbidden tag", string.Empty, new PathStep("tags"), new PathStep(Key: "forbidden")));
        }

        return diagnostics;
    }

    public (byte[]? Planned, List<string> RequiresReplace, List<Diag> Diagnostics) Plan(string typeName, byte[]? prior, byte[]? proposed, byte[]? config)
    {
        var diagnostics = ValidateResource(typeName, config);
        object? proposedValue = Decode(proposed, Schemas.Resource);
        if (diagnostics.Exists(d => d.IsError))
        {
            return (null, new List<string>(), diagnostics);
        }

        if (proposedValue is null)
        {
            // Destroy: the planned state is a null object, sent as such (not left out).
            return (Encode(null, Schemas.Resource), new List<string>(), diagnostics);
        }

        object? priorValue = Decode(prior, Schemas.Resource);
        var planned = Copy(proposedValue);
        var replace = new List<string>();
        if (priorValue is null)
        {
            planned["id"] = TfUnknown.Value;
            planned["created"] = TfUnknown.Value;
            planned["serial"] = TfUnknown.Value;
        }
        else
        {
            planned["id"] = Get(priorValue, "id");
            planned["created"] = Get(priorValue, "created");
            planned["serial"] = Get(priorValue, "serial");
            if (!Equals(Get(priorValue, "name"), Get(proposedValue, "name")))
            {
                replace.Add("name");
                planned["id"] = TfUnknown.Value;
                planned["serial"] = TfUnknown.Value;
            }
        }

        if (planned.GetValueOrDefault("settings") is SortedDictionary<string, object?> settings && settings.GetValueOrDefault("level") is null)
        {
            var plannedSettings = Copy(settings);
            plannedSettings["level"] = TfUnknown.Value;
            planned["settings"] = plannedSettings;
        }

        if (Get(proposedValue, "name") is "warn")
        {
            diagnostics.Add(Diag.Warning("Name warns", "The name 'warn' always warns.", new PathStep("name")));
        }

        return (Encode(planned, Schemas.Resource), replace, diagnostics);
    }

    public (byte[]? NewState, List<Diag> Diagnostics) Apply(string typeName, byte[]? prior, byte[]? planned)
    {
        var diagnostics = ValidateResource(typeName, null);
        object? plannedValue = Decode(planned, Schemas.Resource);
        lock (gate)
        {
            if (plannedValue is null)
            {
                // Destroy.
                if (Get(Decode(prior, Schemas.Resource), "id") is string gone)
                {
                    things.Remove(gone);
                }

                return (Encode(null, Schemas.Resource), diagnostics);
            }

            var state = Copy(plannedValue);
            string id = "thing-" + (state.GetValueOrDefault("name") as string);
            state["id"] = id;
            if (state.GetValueOrDefault("created") is TfUnknown)
            {
                state["created"] = Created;
            }

            if (state.GetValueOrDefault("serial") is TfUnknown)
            {
                state["serial"] = ++serial;
            }

            if (state.GetValueOrDefault("settings") is SortedDictionary<string, object?> settings && settings.GetValueOrDefault("level") is TfUnknown)
            {
                var applied = Copy(settings);
                applied["level"] = 1L;
                state["settings"] = applied;
            }

            things[id] = state;
            return (Encode(state, Schemas.Resource), diagnostics);
        }
    }

    public byte[] Read(byte[]? current)
    {
        lock (gate)
        {
            return Encode(Get(Decode(current, Schemas.Resource), "id") is string id && things.TryGetValue(id, out var state) ? state : null, Schemas.Resource);
        }
    }

    public (List<byte[]> States, List<Diag> Diagnostics) Import(string typeName, string id)
    {
        lock (gate)
        {
            if (typeName == ProviderSchemas.ResourceName && things.TryGetValue(id, out var state))
            {
                return (new List<byte[]> { Encode(state, Schemas.Resource) }, new List<Diag>());
            }

            if (typeName == ProviderSchemas.ResourceName && id.StartsWith("import-", System.StringComparison.Ordinal))
            {
                string name = id["import-".Length..];
                var imported = new SortedDictionary<string, object?>(System.StringComparer.Ordinal)
                {
                    ["id"] = "thing-" + name,
                    ["name"] = name,
                    ["created"] = Created,
                    ["serial"] = ++serial,
                    ["rule"] = new List<object?>(),
                    ["options"] = new SortedDictionary<string, object?>(System.StringComparer.Ordinal),
                    ["label"] = new SortedDictionary<string, object?>(System.StringComparer.Ordinal),
                    ["tag_set"] = new List<object?>(),
                };
                things["thing-" + name] = imported;
                return (new List<byte[]> { Encode(imported, Schemas.Resource) }, new List<Diag>());
            }
        }

        return (new List<byte[]>(), new List<Diag> { Diag.Error("Cannot import", $"No {typeName} has the id '{id}'; give an existing id or 'import-<name>'.") });
    }

    public (byte[]? State, List<Diag> Diagnostics) Upgrade(string typeName, long version, byte[]? json)
    {
        if (typeName != ProviderSchemas.ResourceName || json is null or { Length: 0 })
        {
            return (null, new List<Diag> { Diag.Error("Nothing to upgrade", $"Give the stored JSON state of a {ProviderSchemas.ResourceName}.") });
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var stored = new Dictionary<string, JsonElement>();
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                // Version 0 called the name 'title'.
                stored[version == 0 && property.Name == "title" ? "name" : property.Name] = property.Value.Clone();
            }

            string upgraded = JsonSerializer.Serialize(stored);
            using var renamed = JsonDocument.Parse(upgraded);
            object? value = TfJson.Read(renamed.RootElement, Schemas.Resource.Block.ImpliedType);
            return (Encode(value, Schemas.Resource), new List<Diag>());
        }
        catch (System.Exception e) when (e is JsonException or System.FormatException or System.InvalidOperationException or KeyNotFoundException)
        {
            return (null, new List<Diag> { Diag.Error("Cannot upgrade the stored state", e.Message) });
        }
    }
}
