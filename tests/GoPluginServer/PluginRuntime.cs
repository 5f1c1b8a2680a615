namespace RpcPlugin.GoPluginServer;

/// <summary>The objects shared by the serve loop and the services of one plugin run.</summary>
internal sealed record PluginRuntime(HclogLogger Log, PluginStdio Stdio, PluginServerInfo Info, PluginStopper Stopper);
