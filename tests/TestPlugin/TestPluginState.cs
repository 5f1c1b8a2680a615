using System.Collections.Generic;

namespace RpcPlugin.TestPlugin;

/// <summary>What the Echo service needs to know about this run of the plugin.</summary>
internal sealed class TestPluginState(IReadOnlyList<string> args, CrashCounter crash)
{
    public IReadOnlyList<string> Args { get; } = args;

    public CrashCounter Crash { get; } = crash;

    /// <summary>The spawn-child grandchild's pid, else 0.</summary>
    public int GrandchildPid { get; set; }
}
