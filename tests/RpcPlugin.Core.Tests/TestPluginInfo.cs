using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Google.Protobuf.WellKnownTypes;
using RpcPlugin.Core.Sessions;
using RpcPlugin.TestPlugin.Protos;

namespace RpcPlugin.Core.Tests;

/// <summary>Asks the test plugin what it saw, through its generated client.</summary>
internal static class TestPluginInfo
{
    public static Echo.EchoClient Client(PluginSession session) => new(session.CallInvoker);

    public static async Task<(string[] Args, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)> GetAsync(PluginSession session)
    {
        PluginInfo info = await Client(session).GetInfoAsync(new Empty());
        return (info.Args.ToArray(), info.WorkingDirectory, info.Environment);
    }

    public static async Task<int> GrandchildPidAsync(PluginSession session) =>
        (await Client(session).GetInfoAsync(new Empty())).GrandchildPid;
}
