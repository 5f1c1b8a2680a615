namespace RpcPlugin.Core.Processes;

/// <summary>Exactly what to execute: no shell is involved, arguments reach the program as given.</summary>
/// <param name="FilePath">Absolute path of the executable.</param>
/// <param name="Arguments">The arguments, without the program name.</param>
/// <param name="Environment">The complete environment of the child.</param>
/// <param name="WorkingDirectory">The child's working directory (absolute).</param>
internal sealed record ProcessStartSpec(
    string FilePath,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory)
{
    /// <summary>Our private directory for the plugin's socket, removed when the plugin is gone (even if we die first).</summary>
    public string? SocketDirectory { get; init; }
}
