namespace RpcPlugin;

/// <summary>
/// What a <see cref="RpcPluginSession"/> shows, supplied live by the core library's session. The interface keeps
/// this assembly free of gRPC types so that it can load into PowerShell's default context.
/// </summary>
internal interface IRpcPluginSessionSource
{
    int Id { get; }

    string Name { get; }

    string? FilePath { get; }

    RpcPluginSessionState State { get; }

    int? ProcessId { get; }

    string? Network { get; }

    string? Address { get; }

    int ProtocolVersion { get; }

    bool Tls { get; }

    DateTimeOffset StartTime { get; }

    DateTimeOffset? ExitTime { get; }

    int? ExitCode { get; }

    bool Owned { get; }

    bool Terraform { get; }

    IReadOnlyList<string>? Services { get; }
}
