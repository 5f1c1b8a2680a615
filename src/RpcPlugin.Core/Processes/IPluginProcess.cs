namespace RpcPlugin.Core.Processes;

/// <summary>
/// A plugin's process, platform details hidden: its output streams, its exit, and the means to end it together
/// with everything it started. Either one we started and own, or one we attached to (<see cref="AttachedProcess"/>).
/// </summary>
internal interface IPluginProcess : IDisposable
{
    /// <summary>The process id.</summary>
    int Id { get; }

    /// <summary>Whether we started the process, and so stop it; a stop leaves an attached one running unless forced.</summary>
    bool Owned { get; }

    /// <summary>The read end of the child's standard output.</summary>
    Stream StandardOutput { get; }

    /// <summary>The read end of the child's standard error.</summary>
    Stream StandardError { get; }

    /// <summary>Completes when the process has exited: with its exit code (128 + N for signal N), or null where that cannot be known.</summary>
    Task<int?> Exited { get; }

    /// <summary>Asks the process to end (SIGTERM). Returns false where the platform has no such request.</summary>
    bool RequestTermination();

    /// <summary>Kills the process and every process it started, at once. Safe to call after it has exited.</summary>
    void KillTree();

    /// <summary>
    /// Tells the unix socket the plugin serves on (from its handshake): removed, if it still is a socket, once the
    /// plugin is gone, even when this process dies first. Nothing to do where the plugin is not ours.
    /// </summary>
    void TrackSocket(string path);
}
