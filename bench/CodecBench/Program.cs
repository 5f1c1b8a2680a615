using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Google.Protobuf;

namespace RpcPluginBench.Codec;

/// <summary>
/// `CodecBench [quick|full] [artifacts-dir]`: runs <see cref="CodecBenchmarks"/> in this process and writes, besides
/// BenchmarkDotNet's own reports, codec.json (median, p10, p90 in ns per operation, N, bytes allocated) for
/// Invoke-Benchmarks.ps1.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        bool quick = args.Length > 0 && args[0] == "quick";
        string artifacts = Path.GetFullPath(args.Length > 1 ? args[1] : "codec-bdn");
        Directory.CreateDirectory(artifacts);

        // In-process: no generated project to build per benchmark, and the same runtime as this process.
        Job job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 3 : 5)
            .WithIterationCount(quick ? 5 : 15)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 50 : 250))
            .WithId(quick ? "quick" : "full");
        IConfig config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.P90)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub, JsonExporter.Full)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.JoinSummary);

        Summary summary = BenchmarkRunner.Run<CodecBenchmarks>(config);

        var rows = new List<Dictionary<string, object?>>();
        foreach (BenchmarkReport report in summary.Reports)
        {
            string method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            string message = (string)report.BenchmarkCase.Parameters["Message"];
            var stats = report.ResultStatistics;
            rows.Add(new Dictionary<string, object?>
            {
                ["message"] = message,
                ["direction"] = method.EndsWith("Encode", StringComparison.Ordinal) ? "encode" : "decode",
                ["impl"] = method.StartsWith("Dynamic", StringComparison.Ordinal) ? "dynamic" : "generated",
                ["ok"] = stats is not null,
                ["n"] = stats?.N,
                ["median_ns"] = stats?.Median,
                ["p10_ns"] = stats?.Percentiles.Percentile(10),
                ["p90_ns"] = stats?.Percentiles.Percentile(90),
                ["min_ns"] = stats?.Min,
                ["max_ns"] = stats?.Max,
                ["allocated_bytes"] = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase),
            });
        }

        var sizes = new[] { "small", "medium", "large" }.ToDictionary(k => k, k =>
        {
            IMessage m = Messages.Create(k);
            return new Dictionary<string, object> { ["bytes"] = m.CalculateSize(), ["set_fields"] = Messages.SetFieldCount(m), ["type"] = m.Descriptor.FullName };
        });
        var document = new Dictionary<string, object?>
        {
            ["job"] = quick ? "quick" : "full",
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["messages"] = sizes,
            ["results"] = rows,
        };
        string output = Path.Combine(artifacts, "codec.json");
        File.WriteAllText(output, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine("codec.json: " + output);
        return rows.All(r => (bool)r["ok"]!) ? 0 : 1;
    }
}
