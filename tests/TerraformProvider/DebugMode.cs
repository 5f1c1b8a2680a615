using System;
using System.Collections.Generic;
using System.Text.Json;
using RpcPlugin.GoPluginServer;

namespace RpcPlugin.TerraformProvider;

/// <summary>
/// What the provider prints when started with <c>-debug</c>, as terraform-plugin-go's debug mode does: the
/// TF_REATTACH_PROVIDERS value that lets Terraform (or Connect-RpcPlugin) use the running provider, for three shells.
/// </summary>
internal static class DebugMode
{
    /// <summary>The provider's address in the value (the test provider's type name is <c>rpcplugin</c>).</summary>
    public const string ProviderAddress = "registry.terraform.io/rpcplugin/rpcplugin";

    public static void PrintReattach(PluginServerInfo server)
    {
        var providers = new Dictionary<string, object>
        {
            [ProviderAddress] = new
            {
                Protocol = "grpc",
                server.ProtocolVersion,
                Pid = Environment.ProcessId,
                Test = true,
                Addr = new { server.Network, String = server.Address },
            },
        };
        string json = JsonSerializer.Serialize(providers);
        Console.Out.Write(
            "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n\n" +
            $"\tCommand Prompt:\tset \"TF_REATTACH_PROVIDERS={json}\"\n" +
            $"\tPowerShell:\t$env:TF_REATTACH_PROVIDERS='{json}'\n" +
            $"\tBash:\t\texport TF_REATTACH_PROVIDERS='{json}'\n\n");
        Console.Out.Flush();
    }
}
