using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using RpcPlugin.Core.Logs;

namespace RpcPlugin.Core.Tests;

public class PluginLogTests
{
    private static RpcPluginLogEntry Entry(string line, RpcPluginLogSource source = RpcPluginLogSource.Stderr) =>
        new(DateTimeOffset.Now, RpcPluginLogLevel.Info, line, null, new OrderedDictionary(), source, line);

    [Fact]
    public void The_log_keeps_only_the_newest_entries()
    {
        var log = new PluginLog("p", capacity: 3);
        for (int i = 0; i < 10; i++)
        {
            log.Add(Entry("line " + i));
        }

        Assert.Equal(new[] { "line 7", "line 8", "line 9" }, log.Snapshot().Select(e => e.Message));
        Assert.Equal(10, log.TotalCount);
        Assert.All(log.Snapshot(), e => Assert.Equal("p", e.SessionName));
    }

    [Fact]
    public void The_log_is_bounded_in_characters_too()
    {
        var log = new PluginLog("p", capacity: 1000, characterBudget: 100);
        for (int i = 0; i < 50; i++)
        {
            log.Add(Entry(new string('x', 30)));
        }

        Assert.True(log.Snapshot().Sum(e => e.Line.Length) <= 100);
    }

    [Fact]
    public void The_stderr_tail_holds_the_last_stderr_lines_only()
    {
        var log = new PluginLog("p");
        for (int i = 0; i < 30; i++)
        {
            log.Add(Entry("err " + i));
            log.Add(Entry("out " + i, RpcPluginLogSource.Stdout));
        }

        IReadOnlyList<string> tail = log.StderrTail();
        Assert.Equal(20, tail.Count);
        Assert.Equal("err 29", tail[^1]);
        Assert.DoesNotContain(tail, l => l.StartsWith("out", StringComparison.Ordinal));
    }

    [Fact]
    public void A_follower_sees_existing_then_new_entries_once_each_in_order()
    {
        var log = new PluginLog("p");
        log.Add(Entry("a"));
        var seen = new List<string>();

        using (log.Follow(existing => seen.AddRange(existing.Select(e => e.Message)), e => seen.Add(e.Message)))
        {
            log.Add(Entry("b"));
        }

        log.Add(Entry("c"));
        Assert.Equal(new[] { "a", "b" }, seen);
    }
}
