using System.Collections.Generic;
using System.Linq;
using RpcPlugin.TerraformProvider.Cty;

namespace RpcPlugin.TerraformProvider.Schema;

/// <summary>
/// The provider's schemas (README.md describes them). Between them they use every cty type, every block nesting
/// mode, sensitive and computed attributes and, on protocol 6, nested attributes of every nesting mode.
/// </summary>
internal sealed class ProviderSchemas
{
    public const string DataSourceName = "rpcplugin_echo";
    public const string ResourceName = "rpcplugin_thing";

    public ProviderSchemas(int protocolVersion)
    {
        bool nestedAttributes = protocolVersion >= 6;
        Provider = new TfSchema(0, new TfBlock(
            new[]
            {
                new TfAttribute("endpoint", TfType.String, Optional: true, Description: "Where the (pretend) API lives."),
                new TfAttribute("token", TfType.String, Optional: true, Sensitive: true),
                new TfAttribute("retries", TfType.Number, Optional: true),
                new TfAttribute("fail_configure", TfType.Bool, Optional: true, Description: "true: ConfigureProvider fails with an error diagnostic."),
            },
            new[] { new TfBlockType("features", "SINGLE", new TfBlock(new[] { new TfAttribute("beta", TfType.Bool, Optional: true) }, [])) },
            "The RpcPlugin test provider."));
        ProviderMeta = new TfSchema(0, new TfBlock(new[] { new TfAttribute("module_name", TfType.String, Optional: true) }, []));
        DataSource = new TfSchema(0, new TfBlock(
            new[]
            {
                new TfAttribute("id", TfType.String, Computed: true),
                new TfAttribute("input", TfType.Dynamic, Optional: true),
                new TfAttribute("output", TfType.Dynamic, Computed: true),
                new TfAttribute("text", TfType.String, Optional: true),
                new TfAttribute("number", TfType.Number, Optional: true),
                new TfAttribute("flag", TfType.Bool, Optional: true),
                new TfAttribute("list", TfType.List(TfType.String), Optional: true),
                new TfAttribute("set", TfType.Set(TfType.Number), Optional: true),
                new TfAttribute("map", TfType.Map(TfType.String), Optional: true),
                new TfAttribute("object", Object(("a", TfType.Number), ("b", TfType.String)), Optional: true),
                new TfAttribute("tuple", TfType.Tuple(TfType.String, TfType.Number, TfType.Bool), Optional: true),
                new TfAttribute("endpoint", TfType.String, Computed: true, Description: "The provider's configured endpoint."),
                new TfAttribute("module_name", TfType.String, Computed: true, Description: "provider_meta.module_name, when given."),
                new TfAttribute("warn", TfType.String, Optional: true, Description: "When set, the read warns with this text."),
            },
            new[] { new TfBlockType("item", "LIST", new TfBlock(new[] { new TfAttribute("key", TfType.String, Required: true), new TfAttribute("value", TfType.String, Optional: true) }, [])) }));

        var resourceAttributes = new List<TfAttribute>
        {
            new("id", TfType.String, Computed: true),
            new("name", TfType.String, Required: true, Description: "Changing it replaces the thing. 'invalid' fails validation, 'warn' warns in plans."),
            new("size", TfType.Number, Optional: true),
            new("tags", TfType.Map(TfType.String), Optional: true),
            new("labels", TfType.Set(TfType.String), Optional: true),
            new("password", TfType.String, Optional: true, Sensitive: true),
            new("created", TfType.String, Computed: true),
            new("serial", TfType.Number, Computed: true),
            new("data", TfType.Dynamic, Optional: true),
        };
        if (nestedAttributes)
        {
            resourceAttributes.Add(new("settings", null, new TfNested("SINGLE", new[] { new TfAttribute("mode", TfType.String, Optional: true), new TfAttribute("level", TfType.Number, Computed: true) }), Optional: true));
            resourceAttributes.Add(new("ports", null, new TfNested("LIST", new[] { new TfAttribute("port", TfType.Number, Required: true), new TfAttribute("protocol", TfType.String, Optional: true) }), Optional: true));
            resourceAttributes.Add(new("endpoints", null, new TfNested("MAP", new[] { new TfAttribute("url", TfType.String, Required: true) }), Optional: true));
            resourceAttributes.Add(new("zones", null, new TfNested("SET", new[] { new TfAttribute("name", TfType.String, Required: true) }), Optional: true));
        }

        Resource = new TfSchema(1, new TfBlock(
            resourceAttributes,
            new[]
            {
                new TfBlockType("rule", "LIST", new TfBlock(new[] { new TfAttribute("port", TfType.Number, Required: true), new TfAttribute("cidrs", TfType.List(TfType.String), Optional: true) }, [])),
                new TfBlockType("limit", "SINGLE", new TfBlock(new[] { new TfAttribute("max", TfType.Number, Optional: true) }, [])),
                new TfBlockType("options", "GROUP", new TfBlock(new[] { new TfAttribute("enabled", TfType.Bool, Optional: true) }, [])),
                new TfBlockType("label", "MAP", new TfBlock(new[] { new TfAttribute("text", TfType.String, Optional: true) }, [])),
                new TfBlockType("tag_set", "SET", new TfBlock(new[] { new TfAttribute("key", TfType.String, Optional: true) }, [])),
            }));
    }

    public TfSchema Provider { get; }

    public TfSchema ProviderMeta { get; }

    public TfSchema DataSource { get; }

    public TfSchema Resource { get; }

    private static TfType Object(params (string Name, TfType Type)[] attributes) =>
        TfType.Object(attributes.Select(a => new KeyValuePair<string, TfType>(a.Name, a.Type)));
}
