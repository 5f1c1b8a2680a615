using System.Text.Json;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Attach;

/// <summary>
/// go-plugin's ReattachConfig (<c>{"Protocol","ProtocolVersion","Addr":{"Network","String"},"Pid","Test"}</c>), read
/// from its JSON or from a Terraform <c>TF_REATTACH_PROVIDERS</c> value, which maps provider addresses to such
/// configs (docs/protocol.md §7). Property names are matched case-insensitively, as Go's JSON decoder does.
/// </summary>
/// <param name="Key">The provider address for a Terraform value, else null.</param>
/// <param name="Protocol">Must be grpc.</param>
/// <param name="ProtocolVersion">The application protocol version the plugin speaks.</param>
/// <param name="Endpoint">Where it serves.</param>
/// <param name="Pid">Its process id, when given (0 means unknown).</param>
public sealed record ReattachConfig(string? Key, string Protocol, int ProtocolVersion, PluginEndpoint Endpoint, int? Pid)
{
    /// <summary>Reads a reattach config; <paramref name="name"/> picks a provider of a Terraform value.</summary>
    /// <exception cref="PluginException"><see cref="PluginErrorCode.InvalidArgument"/> with what was wrong.</exception>
    public static ReattachConfig Parse(string json, string? name)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw Bad($"it is not JSON ({JsonSyntaxErrors.Describe(e, json)})");
        }

        using (document)
        {
            try
            {
                return ReadRoot(document.RootElement, name);
            }
            catch (InvalidOperationException)
            {
                throw Bad("it holds text that is not valid Unicode"); // an escaped unpaired surrogate
            }
        }
    }

    private static ReattachConfig ReadRoot(JsonElement root, string? name)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad("it is not a JSON object");
        }

        if (Property(root, "Addr") is not null)
        {
            return Read(root, null);
        }

        var providers = root.EnumerateObject().ToList();
        JsonProperty chosen = Choose(providers, name);
        return Read(chosen.Value, chosen.Name);
    }

    private static JsonProperty Choose(List<JsonProperty> providers, string? name)
    {
        if (providers.Count == 0)
        {
            throw Bad("it holds no provider");
        }

        string keys = string.Join(", ", providers.Select(p => p.Name));
        if (name is null)
        {
            return providers.Count == 1
                ? providers[0]
                : throw Bad($"it holds {providers.Count} providers ({keys}); choose one with {HostTerms.Current.ReattachName}");
        }

        var matches = providers.Where(p =>
            string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)
            || p.Name.EndsWith("/" + name, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw Bad(matches.Count == 0 ? $"no provider matches '{name}' (it holds {keys})" : $"'{name}' matches several providers ({string.Join(", ", matches.Select(m => m.Name))})");
    }

    private static ReattachConfig Read(JsonElement config, string? key)
    {
        if (config.ValueKind != JsonValueKind.Object)
        {
            throw Bad($"the entry{(key is null ? string.Empty : $" for '{key}'")} is not an object");
        }

        // go-plugin treats a missing protocol as net/rpc, its original protocol.
        string protocol = Text(config, "Protocol") is { Length: > 0 } given ? given : "netrpc";
        if (protocol != "grpc")
        {
            throw new PluginException(PluginErrorCode.HandshakeInvalid, $"The reattach config says protocol '{protocol}'; only gRPC plugins are supported.");
        }

        JsonElement addr = Property(config, "Addr") is { ValueKind: JsonValueKind.Object } found ? found : throw Bad("it has no Addr object");
        string network = Text(addr, "Network") ?? throw Bad("Addr has no Network");
        string address = Text(addr, "String") ?? throw Bad("Addr has no String");
        if (network is not ("unix" or "tcp") || address.Length == 0)
        {
            throw Bad($"Addr {network} '{address}' is not a unix socket or tcp address");
        }

        int version = Integer(config, "ProtocolVersion") ?? 0;
        int? pid = Integer(config, "Pid") is int number && number > 0 ? number : null;
        return new ReattachConfig(key, protocol, version, new PluginEndpoint(network, address), pid);
    }

    private static string? Text(JsonElement element, string name) => Property(element, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw Bad($"{name} is not a string"),
    };

    private static int? Integer(JsonElement element, string name) => Property(element, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out int number) => number,
        _ => throw Bad($"{name} is not a whole number"),
    };

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static PluginException Bad(string why) =>
        new(PluginErrorCode.InvalidArgument, $"The reattach config cannot be used: {why}.")
        {
            RecommendedAction = $"Pass go-plugin's ReattachConfig JSON, or a TF_REATTACH_PROVIDERS value (with {HostTerms.Current.ReattachName} to pick a provider).",
        };
}
