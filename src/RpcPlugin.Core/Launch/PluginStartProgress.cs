namespace RpcPlugin.Core.Launch;

/// <summary>What a start is doing, for progress display.</summary>
public enum PluginStartStage
{
    /// <summary>Checking the executable's checksum.</summary>
    VerifyingChecksum,

    /// <summary>Starting the process.</summary>
    Launching,

    /// <summary>Waiting for the handshake line.</summary>
    WaitingForHandshake,

    /// <summary>Connecting (and TLS) to the address the plugin gave.</summary>
    Connecting,

    /// <summary>Waiting before another attempt after a transient failure.</summary>
    BackingOff,

    /// <summary>Connected.</summary>
    Ready,
}

/// <summary>A progress report from <see cref="PluginLauncher.StartAsync"/>.</summary>
/// <param name="Stage">What is happening.</param>
/// <param name="Attempt">Which attempt (1 for the first).</param>
/// <param name="Elapsed">Time since the start began.</param>
/// <param name="Timeout">The deadline for the whole start.</param>
/// <param name="Detail">A sentence for the user (e.g. the handshake line, or why an attempt failed).</param>
public sealed record PluginStartProgress(PluginStartStage Stage, int Attempt, TimeSpan Elapsed, TimeSpan Timeout, string Detail);
