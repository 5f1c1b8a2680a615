using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using Xunit.Abstractions;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>
/// Runs a seeded fuzz loop on a worker thread under a watchdog. Every case gets its own <see cref="Random"/>
/// derived from the run's seed and the case number, so one failing case can be rerun on its own: set
/// <c>RPCPLUGIN_FUZZ_CASE</c> to its number and filter to the test. Failures, exceptions the case did not
/// expect, a case running longer than <see cref="CaseLimit"/> and a run longer than <see cref="RunLimit"/> fail
/// the test with the seed, the case number and a description of the input. The first case of a run also pays
/// for compiling the code under test, so only the run limit applies to it.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>
    /// The xunit collection of the fuzz tests, so they run one after another: each keeps a core busy on its own
    /// worker thread, and side by side on a small machine they only slow each other down (and blur each one's time).
    /// </summary>
    public const string Collection = "Fuzz";

    /// <summary>Environment variable that restricts a run to one case number.</summary>
    public const string CaseVariable = "RPCPLUGIN_FUZZ_CASE";

    /// <summary>
    /// Longest a single case may take: anything slower is treated as a hang. Cases take microseconds; the margin is
    /// for a shared, loaded machine that deschedules the worker (a bound, not a speed check).
    /// </summary>
    public static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(10);

    /// <summary>Longest a whole run may take (a hang guard with a loaded machine's margin).</summary>
    public static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    /// <summary>Runs <paramref name="body"/> for cases 0 to <paramref name="count"/>-1 and returns the outcome counts.</summary>
    /// <param name="caseLimit">Overrides <see cref="CaseLimit"/> (for the runner's own tests).</param>
    public static FuzzSummary Run(string name, int seed, int count, Action<FuzzCase> body, ITestOutputHelper? output = null, TimeSpan? caseLimit = null)
    {
        TimeSpan limit = caseLimit ?? CaseLimit;
        int first = 0;
        int last = count;
        if (Environment.GetEnvironmentVariable(CaseVariable) is { Length: > 0 } only
            && int.TryParse(only, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            if (number >= count)
            {
                return new FuzzSummary(name, seed, 0, TimeSpan.Zero, new Dictionary<string, int>(), Partial: true);
            }

            (first, last) = (number, number + 1);
        }

        var state = new RunState();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var worker = new Thread(() => Loop(name, seed, first, last, body, state, outcomes, limit))
        {
            IsBackground = true,
            Name = "fuzz " + name,
        };
        worker.Start();

        while (!worker.Join(25))
        {
            FuzzCase? current = state.Current;
            if (current is not null && current.Number != first && Stopwatch.GetElapsedTime(current.StartedAt) > limit)
            {
                state.Stop = true;
                Assert.Fail(Describe(name, seed, current, $"the case has been running for more than {limit.TotalMilliseconds} ms (a hang?)", null));
            }

            if (clock.Elapsed > RunLimit)
            {
                state.Stop = true;
                Assert.Fail(current is null
                    ? $"{name} (seed {seed}): the run took longer than {RunLimit.TotalSeconds} s."
                    : Describe(name, seed, current, $"the run took longer than {RunLimit.TotalSeconds} s, {current.Number - first} cases done", null));
            }
        }

        if (state.Failure is { } failure)
        {
            Assert.Fail(failure);
        }

        var summary = new FuzzSummary(name, seed, last - first, clock.Elapsed, outcomes, Partial: last - first != count);
        output?.WriteLine(summary.ToString());
        return summary;
    }

    private static void Loop(string name, int seed, int first, int last, Action<FuzzCase> body, RunState state, Dictionary<string, int> outcomes, TimeSpan limit)
    {
        for (int number = first; number < last && !state.Stop; number++)
        {
            var fuzzCase = new FuzzCase(seed, number, outcomes);
            state.Current = fuzzCase;
            try
            {
                body(fuzzCase);
            }
            catch (Exception e)
            {
                state.Failure = Describe(name, seed, fuzzCase, e is FuzzFailure ? e.Message : $"unexpected {e.GetType().FullName}: {e.Message}", e is FuzzFailure ? null : e);
                break;
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(fuzzCase.StartedAt);
            if (elapsed > limit && number != first)
            {
                state.Failure = Describe(name, seed, fuzzCase, $"the case took {elapsed.TotalMilliseconds:F0} ms (limit {limit.TotalMilliseconds} ms)", null);
                break;
            }
        }

        state.Current = null;
    }

    private static string Describe(string name, int seed, FuzzCase fuzzCase, string problem, Exception? exception)
    {
        string input;
        try
        {
            input = fuzzCase.DescribeInput();
        }
        catch (Exception e)
        {
            input = $"(could not describe the input: {e.Message})";
        }

        return $"{name} failed at case {fuzzCase.Number} of seed {seed} (rerun just this case with {CaseVariable}={fuzzCase.Number}): {problem}\n"
            + $"Input: {input}"
            + (exception is null ? string.Empty : $"\n{exception}");
    }

    private sealed class RunState
    {
        private volatile FuzzCase? current;
        private volatile string? failure;
        private volatile bool stop;

        public FuzzCase? Current { get => current; set => current = value; }

        public string? Failure { get => failure; set => failure = value; }

        public bool Stop { get => stop; set => stop = value; }
    }
}

/// <summary>One case of a fuzz run: its random source, its input (for failure messages) and its outcome.</summary>
internal sealed class FuzzCase
{
    private readonly Dictionary<string, int> outcomes;
    private volatile Func<string>? describe;

    public FuzzCase(int seed, int number, Dictionary<string, int> outcomes)
    {
        Seed = seed;
        Number = number;
        Random = new Random(CaseSeed(seed, number));
        StartedAt = Stopwatch.GetTimestamp();
        this.outcomes = outcomes;
    }

    public int Seed { get; }

    public int Number { get; }

    public Random Random { get; }

    public long StartedAt { get; }

    /// <summary>Records how to describe the input; called before the code under test runs.</summary>
    public void Input(Func<string> description) => describe = description;

    /// <summary>Records a string input, described with its length and escaped content.</summary>
    public void Input(string kind, string text) => describe = () => $"{kind}, {text.Length} chars: {Show.Text(text)}";

    /// <summary>Records a byte input, described with its length and hex content.</summary>
    public void Input(string kind, byte[] bytes) => describe = () => $"{kind}, {bytes.Length} bytes: {Show.Hex(bytes)}";

    public string DescribeInput() => describe?.Invoke() ?? "(not recorded)";

    /// <summary>Counts an outcome (e.g. "ok" or an error code) for the run's summary.</summary>
    public void Outcome(string outcome) => outcomes[outcome] = outcomes.TryGetValue(outcome, out int n) ? n + 1 : 1;

    /// <summary>Fails the case with a message (the runner adds the seed, the case number and the input).</summary>
    public static FuzzFailure Fail(string message) => new(message);

    /// <summary>A well-mixed 32-bit seed for one case (splitmix64 of the run seed and the case number).</summary>
    private static int CaseSeed(int seed, int number)
    {
        ulong z = ((ulong)(uint)seed << 32) | (uint)number;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}

/// <summary>A property a fuzz case checks did not hold.</summary>
internal sealed class FuzzFailure : Exception
{
    public FuzzFailure(string message)
        : base(message)
    {
    }
}

/// <summary>
/// What a run did: how many cases, how long, and how often each outcome happened. <paramref name="Partial"/> when
/// <c>RPCPLUGIN_FUZZ_CASE</c> restricted it to one case: then the outcome mix says nothing and is not checked.
/// </summary>
internal sealed record FuzzSummary(string Name, int Seed, int Cases, TimeSpan Elapsed, IReadOnlyDictionary<string, int> Outcomes, bool Partial)
{
    public int Count(string outcome) => Outcomes.TryGetValue(outcome, out int n) ? n : 0;

    public override string ToString() =>
        $"{Name}: seed {Seed}, {Cases} cases in {Elapsed.TotalMilliseconds:F0} ms; "
        + string.Join(", ", Outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"));
}

/// <summary>Readable renderings of fuzz inputs for failure messages (long inputs are abbreviated).</summary>
internal static class Show
{
    private const int MaxShown = 4_000;

    public static string Hex(ReadOnlySpan<byte> bytes) =>
        bytes.Length <= MaxShown / 2
            ? Convert.ToHexString(bytes)
            : $"{Convert.ToHexString(bytes[..(MaxShown / 4)])}...({bytes.Length - (MaxShown / 2)} bytes)...{Convert.ToHexString(bytes[^(MaxShown / 4)..])}";

    /// <summary>A C#-style literal: printable ASCII as is, everything else escaped, so control and odd characters are visible.</summary>
    public static string Text(string text)
    {
        var result = new System.Text.StringBuilder(Math.Min(text.Length, MaxShown) + 2);
        result.Append('"');
        for (int i = 0; i < text.Length; i++)
        {
            if (result.Length > MaxShown && i < text.Length - (MaxShown / 4))
            {
                int skip = text.Length - (MaxShown / 4) - i;
                result.Append(CultureInfo.InvariantCulture, $"\"+...({skip} chars)...+\"");
                i += skip - 1;
                continue;
            }

            char c = text[i];
            switch (c)
            {
                case '"':
                    result.Append("\\\"");
                    break;
                case '\\':
                    result.Append("\\\\");
                    break;
                case >= ' ' and < '\x7F':
                    result.Append(c);
                    break;
                default:
                    result.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    break;
            }
        }

        return result.Append('"').ToString();
    }
}
