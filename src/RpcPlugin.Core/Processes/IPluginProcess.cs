using System;
using System.IO;
using System.Threading.Tasks;

namespace RpcPlugin.Core.Processes;

/// <summary>
/// A started plugin process, platform details hidden: its output streams, its exit, and the means to end it
/// together with everything it started.
/// </summary>
internal interface IPluginProcess : IDisposable
{
    /// <summary>The process id.</summary>
    int Id { get; }

    /// <summary>The read end of the child's standard output.</summary>
    Stream StandardOutput { get; }

    /// <summary>The read end of the child's standard error.</summary>
    Stream StandardError { get; }

    /// <summary>Completes with the exit code (128 + N for signal N) when the process has exited.</summary>
    Task<int> Exited { get; }

    /// <summary>Asks the process to end (SIGTERM). Returns false where the platform has no such request.</summary>
    bool RequestTermination();

    /// <summary>Kills the process and every process it started, at once. Safe to call after it has exited.</summary>
    void KillTree();
}
