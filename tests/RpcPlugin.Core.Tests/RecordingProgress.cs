using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using RpcPlugin.Core.Launch;

namespace RpcPlugin.Core.Tests;

/// <summary>Collects start progress; lets a test wait for the pid of the process being started.</summary>
internal sealed class RecordingProgress : IProgress<PluginStartProgress>
{
    private readonly TaskCompletionSource<int> pid = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<PluginStartProgress> Reports { get; } = new();

    /// <summary>Runs on each report, after it is recorded (a test's way to act at a given stage).</summary>
    public Action<PluginStartProgress>? OnReport { get; init; }

    public int Launches => Reports.Count(r => r.Stage == PluginStartStage.Launching);

    public void Report(PluginStartProgress value)
    {
        Reports.Enqueue(value);
        if (value.Stage == PluginStartStage.WaitingForHandshake && value.Detail.StartsWith("pid ", StringComparison.Ordinal))
        {
            pid.TrySetResult(int.Parse(value.Detail[4..], CultureInfo.InvariantCulture));
        }

        OnReport?.Invoke(value);
    }

    public Task<int> WaitForPidAsync() => pid.Task.WaitAsync(TimeSpan.FromSeconds(30));
}
