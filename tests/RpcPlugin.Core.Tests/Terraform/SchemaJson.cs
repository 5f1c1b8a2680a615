using System;
using System.Linq;
using System.Text;
using RpcPlugin.Core.Codec;
using RpcPlugin.Core.Descriptors;
using RpcPlugin.Core.Terraform;

namespace RpcPlugin.Core.Tests.Terraform;

/// <summary>Builds GetProviderSchema responses from proto JSON, the way a provider's answer decodes.</summary>
internal static class SchemaJson
{
    public static string Attribute(string name, string type, string flags = "optional", string extra = "") =>
        $$"""{"name":"{{name}}","type":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(type))}}"{{Flags(flags)}}{{extra}}}""";

    public static string Nested(string name, string nesting, string flags, params string[] attributes) =>
        $$"""{"name":"{{name}}","nested_type":{"nesting":"{{nesting}}","attributes":[{{string.Join(",", attributes)}}]}{{Flags(flags)}}}""";

    public static string Block(string nesting, string name, string attributes, string blocks = "") =>
        $$$"""{"type_name":"{{{name}}}","nesting":"{{{nesting}}}","block":{"attributes":[{{{attributes}}}],"block_types":[{{{blocks}}}]}}""";

    public static string Schema(string attributes, string blocks = "", int version = 0) =>
        $$$"""{"version":{{{version}}},"block":{"attributes":[{{{attributes}}}],"block_types":[{{{blocks}}}],"description":"d"}}""";

    private static readonly DescriptorPool[] Pools = { TerraformProtocol.GetPool(5), TerraformProtocol.GetPool(6) };

    public static DynamicMessage Response(int protocol, string json)
    {
        DescriptorPool pool = Pools[protocol - 5];
        return ProtoJson.Parse(pool.FindMessage($"tfplugin{protocol}.GetProviderSchema.Response")!, json, pool.ResolveTypeUrl);
    }

    private static string Flags(string flags) =>
        string.Concat(flags.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(f => $",\"{f.Trim()}\":true"));
}
